/** ListBuckets, CreateBucket, HeadBucket and DeleteBucket. */
import { emptyResponse, isoTime, OWNER, xmlResponse, type EmulatorContext, type Ks3Request, type Ks3Response } from "./context.js";
import { isValidBucketName } from "./bucket-name.js";
import { Ks3Error } from "./errors.js";
import { readSmallBody } from "./request-body.js";

/** ListBuckets: `GET /` on the service. */
export async function listBuckets(ctx: EmulatorContext): Promise<Ks3Response> {
  const buckets = [...ctx.state.buckets.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  return xmlResponse("ListAllMyBucketsResult", [
    ["Owner", OWNER],
    [
      "Buckets",
      buckets.map(
        (b) =>
          [
            "Bucket",
            [
              ["Name", b.name],
              ["CreationDate", isoTime(b.created)],
            ],
          ] as const,
      ),
    ],
  ]);
}

/** CreateBucket: `PUT /{bucket}`; the optional location body is read and ignored (one region). */
export async function createBucket(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response> {
  const name = req.address.bucket!;
  if (!isValidBucketName(name)) throw new Ks3Error("InvalidBucketName");
  await readSmallBody(req.body(), ctx.limits.xmlBodyMaxBytes);
  if (!ctx.state.addBucket(name, ctx.clock.now())) throw new Ks3Error("BucketAlreadyExists");
  await ctx.persist();
  return emptyResponse(200, { location: `/${name}` });
}

/** HeadBucket: 200, or 404 without a body. */
export async function headBucket(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response> {
  ctx.state.bucket(req.address.bucket);
  return emptyResponse(200);
}

/** DeleteBucket: 204; `BucketNotEmpty` (409) while it holds objects or uploads (C-SDK `delete_object.c:103-106`). */
export async function deleteBucket(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response> {
  const bucket = ctx.state.bucket(req.address.bucket);
  if (bucket.objects.size > 0 || bucket.uploads.size > 0) throw new Ks3Error("BucketNotEmpty");
  ctx.state.buckets.delete(bucket.name);
  await ctx.persist();
  return emptyResponse(204);
}
