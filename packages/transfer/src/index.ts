/**
 * @stowage/transfer: The transfer engine: managed multipart upload, parallel ranged download and server-side copy on any MultipartObjectStore.
 *
 * @packageDocumentation
 */
export {};
