import { AccessKeyPair, resolveAccessKeyPair } from "@stowage/core";

/** An access key pair as the signers read it. */
export interface S3Credentials {
  /** Access key id; appears in the `Authorization` header. */
  readonly accessKeyId: string;
  /** Secret access key; only the signers read it, and it must never be logged. */
  readonly secretAccessKey: string;
  /**
   * Temporary credentials' session token (AWS STS), sent as `x-amz-security-token` and signed
   * with the other headers (SigV4 only). A secret like the key: never log it.
   */
  readonly sessionToken?: string;
}

/**
 * Core's {@link AccessKeyPair} (the secret never appears in `util.inspect`, `JSON.stringify`,
 * `toString` or an error's `cause`) in the shape the S3-family signers read.
 */
export class S3CredentialPair extends AccessKeyPair implements S3Credentials {
  /** The secret, for the signers only. Never log or store what this returns. */
  get secretAccessKey(): string {
    return this.revealSecret();
  }
}

/** {@link S3CredentialPair} plus a session token, kept in a private field like the secret. */
export class S3SessionCredentials extends S3CredentialPair {
  readonly #token: string;

  constructor(accessKeyId: string, secret: string, sessionToken: string) {
    super(accessKeyId, secret);
    this.#token = sessionToken;
  }

  /** The session token, for the signers only. Never log or store what this returns. */
  get sessionToken(): string {
    return this.#token;
  }
}

/** Where an S3-family store's credentials come from when its options do not name them. */
export interface S3CredentialVariables {
  /** The provider id, which starts the error message: `ks3 config: no credentials; …`. */
  readonly provider: string;
  /** The key id variable, e.g. `AWS_ACCESS_KEY_ID`. */
  readonly idVariable: string;
  /** The secret variable, e.g. `AWS_SECRET_ACCESS_KEY`. */
  readonly secretVariable: string;
  /** The session token variable (e.g. `AWS_SESSION_TOKEN`), where the provider has temporary credentials. */
  readonly sessionTokenVariable?: string;
}

/**
 * The credentials of an S3-family store: the `accessKeyId` / `secretAccessKey` options, else
 * the variables in `env` (core's {@link resolveAccessKeyPair}: `Unauthorized` naming the fields
 * and variables when either is missing, never a value), plus a session token where there is
 * one. A token belongs to the key pair it was issued with: its variable is read only when the
 * pair itself came from the variables, never paired with a configured key.
 */
export function resolveS3Credentials(
  variables: S3CredentialVariables,
  options: { readonly accessKeyId?: string | undefined; readonly secretAccessKey?: string | undefined; readonly sessionToken?: string | undefined },
  env: NodeJS.ProcessEnv,
): S3Credentials {
  const source = { ...variables, idField: "accessKeyId", secretField: "secretAccessKey" };
  const keys = resolveAccessKeyPair(source, { id: options.accessKeyId, secret: options.secretAccessKey }, env);
  const fromEnv = options.accessKeyId === undefined && variables.sessionTokenVariable !== undefined ? env[variables.sessionTokenVariable] : undefined;
  const token = options.sessionToken ?? fromEnv;
  return token ? new S3SessionCredentials(keys.accessKeyId, keys.revealSecret(), token) : new S3CredentialPair(keys.accessKeyId, keys.revealSecret());
}
