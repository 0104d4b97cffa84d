/**
 * Bucket names (`ks3-api.md` §5, Java `StringUtils.validateBucketName`): 3–63 characters of
 * `a-z 0-9 . -`, starting with a letter or digit, not ending with `.` or `-`, without `..`,
 * `.-` or `-.`.
 */
export function isValidBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !/\.\.|\.-|-\./.test(name);
}
