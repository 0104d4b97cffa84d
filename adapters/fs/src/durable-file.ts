/**
 * Durable writes and the record format every stored file uses.
 *
 * A write goes: temp file in the target directory → write → fsync → rename over the target →
 * fsync the directory. A reader opens either the old file or the new one, never a partial
 * one, and once the call resolves the new file survives a crash (kill -9 or power loss).
 *
 * A record is the data followed by its attributes: `data ‖ JSON ‖ u32 BE JSON length ‖ "STW1"`.
 * The attributes (ETag, content type, metadata, expiry) are only known after the data has
 * streamed through, so they go last; and being in the same file as the data they are
 * committed by the same rename: new data can never be paired with old metadata.
 *
 * Temp files are named `.tmp-<pid>-<random>`: no key encodes to such a name, and the pid lets
 * the sweep on open ({@link sweepTempFiles}) remove what a crashed process left without
 * touching what a live process (a second store on the same root) is writing.
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, open, rename, readdir, rm, unlink, type FileHandle } from "node:fs/promises";
import { close as closeCallback, fstat as fstatCallback, open as openCallback, read as readCallback } from "node:fs";
import { join } from "node:path";
import { StorageError, abortedError, fsyncDirectory } from "@stowage/core";
import { isKeyDirName, isNotFound } from "./key-path.js";

const MAGIC = Buffer.from("STW1", "latin1");
const TRAILER_BYTES = 8;
/** Bytes read from a record's end to find its attributes in one read, most of the time. */
const TAIL_READ_BYTES = 4096;
const TEMP_PREFIX = ".tmp-";

/** The trailer of a record with these attributes. */
function trailerOf(attributes: object): Buffer {
  const json = Buffer.from(JSON.stringify(attributes), "utf8");
  const trailer = Buffer.alloc(json.byteLength + TRAILER_BYTES);
  json.copy(trailer);
  trailer.writeUInt32BE(json.byteLength, json.byteLength);
  MAGIC.copy(trailer, json.byteLength + 4);
  return trailer;
}

/** A fresh temp name of this process. */
export function tempName(): string {
  return `${TEMP_PREFIX}${process.pid}-${randomBytes(8).toString("hex")}`;
}

/** Whether `name` is a temp name (of any process). */
export function isTempName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/** fsync a directory, so a rename or unlink in it survives a crash (core's one implementation). */
export const syncDirectory = fsyncDirectory;

/**
 * A file being written in a target directory under a temp name; nothing is visible until
 * {@link TempFile.commit}. {@link TempFile.discard} removes it on every failure path.
 */
export class TempFile {
  private size = 0;
  private closed = false;

  private constructor(
    /** The directory the file will be committed in. */
    readonly dir: string,
    /** The temp file's path. */
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /**
   * Creates a temp file in `dir`. With `createDir`, a missing `dir` is created first (a long
   * key's directories); otherwise a missing `dir` raises ENOENT to the caller.
   */
  static async create(dir: string, createDir: boolean): Promise<TempFile> {
    const path = join(dir, tempName());
    let handle: FileHandle;
    try {
      handle = await open(path, "wx");
    } catch (err) {
      if (!createDir || !isNotFound(err)) throw err;
      await mkdir(dir, { recursive: true });
      handle = await open(path, "wx");
    }
    return new TempFile(dir, path, handle);
  }

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.size;
  }

  /** Appends bytes. */
  async write(chunk: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const { bytesWritten } = await this.handle.write(chunk, offset, chunk.byteLength - offset);
      offset += bytesWritten;
    }
    this.size += chunk.byteLength;
  }

  /** Appends the record trailer: the attributes as JSON, their length and the magic. */
  async writeTrailer(attributes: object): Promise<void> {
    await this.write(trailerOf(attributes));
  }

  /** Appends `data` and the trailer in one system call (a small value costs one write, as a raw write does). */
  async writeRecord(data: Uint8Array, attributes: object): Promise<void> {
    const trailer = trailerOf(attributes);
    const total = data.byteLength + trailer.byteLength;
    const { bytesWritten } = await this.handle.writev([data, trailer]);
    this.size += bytesWritten;
    // A short vectored write (rare: signals, huge values) finishes with plain writes.
    if (bytesWritten < total) {
      const rest = Buffer.concat([data, trailer]).subarray(bytesWritten);
      await this.write(rest);
    }
  }

  /**
   * fsync, close, rename onto `name` in the target directory, fsync the directory. After it
   * resolves the file is visible and durable. On failure the temp file is removed. A batch
   * passes `syncDir: false` and fsyncs each directory once after its last rename.
   */
  async commit(name: string, syncDir = true): Promise<void> {
    try {
      await this.handle.sync();
      await this.close();
      await rename(this.path, join(this.dir, name));
    } catch (err) {
      await this.discard();
      throw err;
    }
    if (syncDir) await syncDirectory(this.dir);
  }

  /**
   * {@link commit}, but only when nothing is at `name`: the synced file is hard-linked to
   * `name`, which the kernel refuses with EEXIST in the same step as it checks (atomic against
   * every other process on the root too), then the temp name is removed and the directory
   * fsynced. Resolves `false`, with nothing changed and the temp file removed, when `name`
   * exists. A crash between the link and the unlink leaves a temp name the open sweep removes.
   */
  async commitIfAbsent(name: string): Promise<boolean> {
    try {
      await this.handle.sync();
      await this.close();
      await link(this.path, join(this.dir, name));
    } catch (err) {
      await this.discard();
      if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw err;
    }
    await unlink(this.path).catch(() => undefined);
    await syncDirectory(this.dir);
    return true;
  }

  /** Closes and removes the temp file; never throws. */
  async discard(): Promise<void> {
    await this.close().catch(() => undefined);
    await unlink(this.path).catch(() => undefined);
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

/** Writes `chunks` then the trailer of `attributes(size)` and commits the record as `name`. */
export async function writeRecord(
  dir: string,
  name: string,
  data: Uint8Array,
  attributes: object,
  signal: AbortSignal,
  createDir: boolean,
  syncDir = true,
): Promise<void> {
  const temp = await TempFile.create(dir, createDir);
  try {
    await temp.writeRecord(data, attributes);
    // Nothing is visible yet: an abort up to here leaves the old value in place.
    if (signal.aborted) throw abortedError(signal);
  } catch (err) {
    await temp.discard();
    throw err;
  }
  await temp.commit(name, syncDir);
}

/** A whole record read into memory. */
export interface RecordContents<A> {
  /** The data, without the trailer. */
  data: Buffer;
  /** The attributes. */
  attributes: A;
}

/** Reads a whole record from an open file; `path` is for the error only. */
export async function readRecordFrom<A>(handle: FileHandle, path: string): Promise<RecordContents<A>> {
  return parseRecord<A>(await handle.readFile(), path);
}

/** Files up to this size are read through the callback API, larger ones through a `FileHandle`. */
const SMALL_FILE_BYTES = 64 * 1024;

/**
 * A whole file in one read after its size is known: open, fstat, read, close. `readFile` reads
 * in 512 KiB chunks, a thread-pool round trip each, which costs a 1 MiB value a third more.
 * A small file goes through the callback API, because a `FileHandle` adds a promise and an
 * object per step, a sixth of the cost of reading a 1 KiB value; a large one is read again
 * through a `FileHandle`, which measured twice as fast as a callback read of 1 MiB (bench:fs).
 * `undefined` when the file does not exist.
 */
export function readWholeFile(path: string): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    openCallback(path, "r", (openErr, fd) => {
      if (openErr) return isNotFound(openErr) ? resolve(undefined) : reject(openErr);
      const fail = (err: unknown) => closeCallback(fd, () => reject(err));
      fstatCallback(fd, (statErr, stats) => {
        if (statErr) return fail(statErr);
        if (stats.size > SMALL_FILE_BYTES) return closeCallback(fd, () => readWholeFileByHandle(path).then(resolve, reject));
        const bytes = Buffer.allocUnsafe(stats.size);
        const readFrom = (offset: number): void => {
          if (offset >= bytes.byteLength) return closeCallback(fd, (closeErr) => (closeErr ? reject(closeErr) : resolve(bytes)));
          readCallback(fd, bytes, offset, bytes.byteLength - offset, offset, (readErr, count) => {
            if (readErr) return fail(readErr);
            if (count === 0) return fail(corrupt("the file ended early"));
            readFrom(offset + count);
          });
        };
        readFrom(0);
      });
    });
  });
}

/** {@link readWholeFile} for a large file. */
async function readWholeFileByHandle(path: string): Promise<Buffer | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.allocUnsafe(size);
    await readFully(handle, bytes, 0);
    return bytes;
  } finally {
    await handle.close();
  }
}

/** Splits a whole record's bytes into data and attributes; `path` is for the error only. */
export function parseRecord<A>(bytes: Buffer, path: string): RecordContents<A> {
  const { jsonStart, attributes } = parseTrailer<A>(bytes, bytes.byteLength, path);
  return { data: bytes.subarray(0, jsonStart), attributes };
}

/** An open record: its attributes and the size of its data; the data is read from `handle`. */
export interface OpenRecord<A> {
  /** The open file; the caller closes it. Reads through it see this version even if it is replaced. */
  handle: FileHandle;
  /** Bytes of data (the trailer excluded). */
  dataSize: number;
  /** The attributes. */
  attributes: A;
}

/** Opens a record and reads its attributes from its end; `undefined` when the file does not exist. */
export async function openRecord<A>(path: string): Promise<OpenRecord<A> | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  try {
    const { size } = await handle.stat();
    const tailBytes = Math.min(size, TAIL_READ_BYTES);
    let tail = Buffer.alloc(tailBytes);
    await readFully(handle, tail, size - tailBytes);
    let json = jsonLength(tail, size, path);
    if (json + TRAILER_BYTES > tailBytes) {
      tail = Buffer.alloc(json + TRAILER_BYTES);
      await readFully(handle, tail, size - tail.byteLength);
    }
    const { jsonStart, attributes } = parseTrailer<A>(tail, size, path);
    json = tail.byteLength - TRAILER_BYTES - jsonStart;
    return { handle, dataSize: size - TRAILER_BYTES - json, attributes };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** The attributes of the record at `path`; `undefined` when the file does not exist. */
export async function readAttributes<A>(path: string): Promise<A | undefined> {
  const record = await openRecord<A>(path);
  if (record === undefined) return undefined;
  await record.handle.close();
  return record.attributes;
}

/** Fills `buffer` from `position`. */
export async function readFully(handle: FileHandle, buffer: Uint8Array, position: number): Promise<void> {
  let offset = 0;
  while (offset < buffer.byteLength) {
    const { bytesRead } = await handle.read(buffer, offset, buffer.byteLength - offset, position + offset);
    if (bytesRead === 0) throw corrupt("the file ended early");
    offset += bytesRead;
  }
}

/** The JSON length a record's last bytes (`tail`, the end of a file of `size` bytes) declare. */
function jsonLength(tail: Buffer, size: number, path: string): number {
  if (tail.byteLength < TRAILER_BYTES || !tail.subarray(tail.byteLength - 4).equals(MAGIC)) throw corrupt(`no record trailer in ${path}`);
  const length = tail.readUInt32BE(tail.byteLength - TRAILER_BYTES);
  if (length + TRAILER_BYTES > size) throw corrupt(`a record trailer longer than the file in ${path}`);
  return length;
}

/** Parses the trailer at the end of `tail` (the last bytes of a file of `size` bytes). */
function parseTrailer<A>(tail: Buffer, size: number, path: string): { jsonStart: number; attributes: A } {
  const length = jsonLength(tail, size, path);
  const jsonStart = tail.byteLength - TRAILER_BYTES - length;
  try {
    return { jsonStart, attributes: JSON.parse(tail.subarray(jsonStart, jsonStart + length).toString("utf8")) as A };
  } catch (cause) {
    throw corrupt(`unreadable record attributes in ${path}`, cause);
  }
}

/**
 * A record that is not one: only a file written by something else under a key's name can be
 * such, since records become visible whole. The path names the file, never its contents.
 */
function corrupt(message: string, cause?: unknown): StorageError {
  return new StorageError({ code: "Internal", message: `Corrupt fs record: ${message}`, cause });
}

/** Whether a process with this pid is running (EPERM: running, under another user). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether a temp name was left by a process that is no longer running. */
export function isStaleTemp(name: string): boolean {
  if (!isTempName(name)) return false;
  const pid = Number(name.slice(TEMP_PREFIX.length).split("-")[0]);
  return !Number.isSafeInteger(pid) || pid <= 0 || !isRunning(pid);
}

/**
 * Removes, under `dir` and the key directories below it, the temp files and temp directories
 * that processes no longer running left behind (a crash mid-write). Returns how many were removed.
 */
export async function sweepTempFiles(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (isNotFound(err)) return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    if (isStaleTemp(name)) {
      await rm(join(dir, name), { recursive: true, force: true, maxRetries: 3 });
      removed++;
    } else if (isKeyDirName(name)) {
      removed += await sweepTempFiles(join(dir, name));
    }
  }
  if (removed > 0) await syncDirectory(dir);
  return removed;
}
