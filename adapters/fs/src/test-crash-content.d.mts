/** Keys the crash child overwrites with `put`. */
export declare const CRASH_KV_KEYS: string[];
/** Keys the crash child writes with `putObject`. */
export declare const CRASH_OBJECT_KEYS: string[];
/** Keys the crash child writes with multipart Complete. */
export declare const CRASH_MULTIPART_KEYS: string[];
/** The self-checking content of `key` at `version`, `size` bytes. */
export declare function crashContent(key: string, version: string, size: number): Buffer;
/** The version `bytes` claims and whether they are exactly that version's content. */
export declare function checkCrashContent(key: string, bytes: Uint8Array): { version: string | undefined; whole: boolean };
