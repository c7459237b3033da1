// Sealed attachments in S3-compatible object storage (AWS S3, MinIO, Ceph, a cloud provider's
// object store): one object per attachment under a prefix, already encrypted by the store
// (codec/attachments.ts), so the bucket never holds a readable byte of them.
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SealedBlobs } from './attachments';

export interface S3BlobsOptions {
  bucket: string;
  /** Prepended to each id, e.g. `attachments/`. */
  prefix: string;
  region: string;
  /** Another provider's address (MinIO, Ceph); absent: AWS itself. */
  endpoint?: string;
  /** Addresses `endpoint/bucket/key` rather than `bucket.endpoint/key`, as most self-hosted stores want. */
  forcePathStyle: boolean;
  /** Absent: the SDK's own chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, an instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function s3Blobs(options: S3BlobsOptions): SealedBlobs {
  const client = new S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const key = (id: string) => `${options.prefix}${id}`;
  return {
    async write(id, sealed) {
      // An object appears whole or not at all: a reader never sees half of it.
      await client.send(new PutObjectCommand({ Bucket: options.bucket, Key: key(id), Body: sealed, ContentType: 'application/octet-stream' }));
    },
    async read(id) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: key(id) }));
        return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : undefined;
      } catch (err) {
        if (err instanceof NoSuchKey) return undefined;
        throw err;
      }
    },
    async delete(id) {
      // Deleting what is not there succeeds: destruction can be retried.
      await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: key(id) }));
    },
  };
}
