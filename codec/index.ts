// One data converter for every client, worker and replayer: the encryption codec over the
// default payload converter, failures with their message and stack encoded.
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './encryption';
import type { KeyRing } from './key-ring';

export { keyRing, newCodecKey, parseCodecKeys, type CodecKey, type KeyRing } from './key-ring';
export { EncryptionCodec, encryptedEncoding } from './encryption';

/** By path: workflow code loads the failure converter inside its sandbox, and bundles carry it (`bundleWorkflowCode`). */
export const failureConverterPath = require.resolve('./failure-converter');

export const dataConverter = (ring: KeyRing): DataConverter => ({ payloadCodecs: [new EncryptionCodec(ring)], failureConverterPath });
