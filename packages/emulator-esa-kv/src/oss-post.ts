import { createHash } from "node:crypto";
import { OssError, UPLOAD_BUCKET, type UploadStore } from "./upload-store.js";

/**
 * The OSS-style PostObject endpoint (reference §2 step 2): a `multipart/form-data` POST with
 * `OSSAccessKeyId`, `policy`, `Signature`, `key`, `success_action_status` and, last, `file`.
 * Answers like OSS: XML bodies, `201` with `<PostResponse>` when `success_action_status` is
 * `201`, `200` for `200`, otherwise `204` (OSS PostObject doc).
 */

/** An HTTP answer: status, headers, body. */
export interface OssAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The OSS `<Error>` body the SDK's `_postOSSObject` parses. */
export function ossErrorAnswer(error: OssError, requestId: string, hostId: string): OssAnswer {
  return {
    status: error.status,
    headers: { "content-type": "application/xml", "x-oss-request-id": requestId },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(error.code)}</Code>` +
      `<Message>${escapeXml(error.message)}</Message><RequestId>${requestId}</RequestId>` +
      `<HostId>${escapeXml(hostId)}</HostId></Error>`,
  };
}

/** Handles one PostObject request; raises {@link OssError}. */
export async function handleOssPost(
  uploads: UploadStore,
  contentType: string,
  body: Uint8Array<ArrayBuffer>,
  requestId: string,
  maxFields: number,
): Promise<OssAnswer> {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (boundary !== undefined && countDelimiters(body, `--${boundary}`, maxFields + 1) > maxFields) {
    throw new OssError(400, "InvalidArgument", `The form carries more than ${maxFields} fields.`);
  }
  let form: FormData;
  try {
    // The WHATWG multipart parser that ships with Node (undici) does the parsing.
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw new OssError(400, "InvalidArgument", "The body of your POST request is not well-formed multipart/form-data.");
  }
  const fields = new Map<string, string>();
  let file: Uint8Array | undefined;
  let fileBlob: Blob | undefined;
  form.forEach((value, name) => {
    if (typeof value === "string") fields.set(name, value);
    else if (name === "file") fileBlob = value;
  });
  if (fileBlob) file = new Uint8Array(await fileBlob.arrayBuffer());
  const key = uploads.accept(fields, file);
  const etag = `"${createHash("md5").update(file ?? new Uint8Array()).digest("hex").toUpperCase()}"`;
  const headers = { "x-oss-request-id": requestId, etag };
  const status = fields.get("success_action_status");
  if (status === "201") {
    const location = `http://${UPLOAD_BUCKET}.${uploads.endpointHost}/${key}`;
    return {
      status: 201,
      headers: { ...headers, "content-type": "application/xml" },
      body:
        `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Bucket>${UPLOAD_BUCKET}</Bucket>` +
        `<Location>${escapeXml(location)}</Location><Key>${escapeXml(key)}</Key><ETag>${etag}</ETag></PostResponse>`,
    };
  }
  return { status: status === "200" ? 200 : 204, headers, body: "" };
}

/** How many times `delimiter` occurs in `body`, counting no further than `stopAt`. */
function countDelimiters(body: Uint8Array<ArrayBuffer>, delimiter: string, stopAt: number): number {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let count = 0;
  // The closing delimiter (`--boundary--`) counts too: n fields have n + 1 delimiters.
  for (let at = bytes.indexOf(delimiter); at >= 0 && count < stopAt + 1; at = bytes.indexOf(delimiter, at + delimiter.length)) count++;
  return count - 1;
}
