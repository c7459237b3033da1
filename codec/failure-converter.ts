// Loaded in the workflow sandbox too (the worker's `failureConverterPath`): a failure's message
// and stack go into an encoded payload, so the codec encrypts them with the failure's details.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
