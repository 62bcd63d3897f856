/**
 * The four steps of a Secrets Manager rotation of an IAM user's access key, as a pure
 * module: every call to AWS goes through the clients passed in, so the tests run each step
 * and each failure with fakes. The Lambda entry (`index.ts`) passes the AWS SDK's clients.
 *
 * The secret's value is JSON: `{ "UserName", "AccessKeyId", "SecretAccessKey" }` (before the
 * first rotation only `UserName`). The steps, in the order Secrets Manager calls them:
 * - `createSecret`: creates a new access key for the user and stores it as the `AWSPENDING`
 *   version (IAM generates the secret key, so creating and storing are one step). The old
 *   key stays active and stays `AWSCURRENT`.
 * - `setSecret`: nothing to set: IAM holds the new key already; checks that it is active.
 * - `testSecret`: signs a request with the pending key (STS `GetCallerIdentity`, which needs
 *   no permission and is not affected by the user's policies) and checks that it is the user.
 * - `finishSecret`: moves `AWSCURRENT` to the new version, then deactivates and deletes the
 *   old key.
 * A step that fails before `finishSecret` moves the stage leaves the old key current and
 * active; the next rotation removes the key a failed one left pending.
 *
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html
 */

/** The subset of the IAM client the rotation uses (the SDK v3 aggregated client's methods). */
export interface RotationIamClient {
  createAccessKey(input: { UserName: string }): Promise<{ AccessKey?: { AccessKeyId?: string; SecretAccessKey?: string } }>;
  listAccessKeys(input: { UserName: string }): Promise<{ AccessKeyMetadata?: Array<{ AccessKeyId?: string; Status?: string }> }>;
  updateAccessKey(input: { UserName: string; AccessKeyId: string; Status: 'Active' | 'Inactive' }): Promise<unknown>;
  deleteAccessKey(input: { UserName: string; AccessKeyId: string }): Promise<unknown>;
}

/** The subset of the Secrets Manager client the rotation uses. */
export interface RotationSecretsClient {
  describeSecret(input: { SecretId: string }): Promise<{ RotationEnabled?: boolean; VersionIdsToStages?: Record<string, string[]> }>;
  getSecretValue(input: { SecretId: string; VersionId?: string; VersionStage?: string }): Promise<{ SecretString?: string; VersionId?: string }>;
  putSecretValue(input: { SecretId: string; ClientRequestToken: string; SecretString: string; VersionStages: string[] }): Promise<unknown>;
  updateSecretVersionStage(input: {
    SecretId: string; VersionStage: string; MoveToVersionId?: string; RemoveFromVersionId?: string;
  }): Promise<unknown>;
}

/** What the rotation needs from AWS. */
export interface RotationClients {
  readonly iam: RotationIamClient;
  readonly secrets: RotationSecretsClient;
  /** The ARN of the identity that signs with these credentials (STS `GetCallerIdentity`). */
  readonly callerArn: (credentials: { accessKeyId: string; secretAccessKey: string }) => Promise<string>;
  /** Waits; IAM needs a few seconds before a new key signs requests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The event Secrets Manager sends to a rotation function. */
export interface RotationEvent {
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  readonly Step: string;
}

/** The value stored in the secret. */
export interface AccessKeySecret {
  readonly UserName: string;
  readonly AccessKeyId?: string;
  readonly SecretAccessKey?: string;
}

const CURRENT = 'AWSCURRENT';
const PENDING = 'AWSPENDING';
const PREVIOUS = 'AWSPREVIOUS';
/** Attempts of `testSecret` (IAM is eventually consistent: a new key may take seconds to work). */
const TEST_ATTEMPTS = 6;
const TEST_WAIT_MS = 5_000;

/** Runs one rotation step. Throws on any failure, so that Secrets Manager retries or reports it. */
export async function rotate(event: RotationEvent, clients: RotationClients): Promise<void> {
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
  const metadata = await clients.secrets.describeSecret({ SecretId: secretId });
  if (metadata.RotationEnabled === false) throw new Error(`Secret ${secretId} is not enabled for rotation`);
  const stages = metadata.VersionIdsToStages ?? {};
  if (!stages[token]) throw new Error(`Secret version ${token} has no stage for rotation of secret ${secretId}`);
  if (stages[token].includes(CURRENT)) {
    if (step === 'finishSecret') await removePreviousKey(secretId, token, clients);
    return; // already current: nothing left to do
  }
  if (!stages[token].includes(PENDING)) throw new Error(`Secret version ${token} is not set as AWSPENDING for rotation of secret ${secretId}`);
  switch (step) {
    case 'createSecret': return createSecret(secretId, token, clients);
    case 'setSecret': return setSecret(secretId, token, clients);
    case 'testSecret': return testSecret(secretId, token, clients);
    case 'finishSecret': return finishSecret(secretId, token, stages, clients);
    default: throw new Error(`Invalid step parameter ${step} for secret ${secretId}`);
  }
}

async function createSecret(secretId: string, token: string, clients: RotationClients): Promise<void> {
  const current = await readSecret(clients, secretId, { VersionStage: CURRENT });
  if (await tryReadSecret(clients, secretId, { VersionId: token, VersionStage: PENDING })) return; // created already
  const user = current.UserName;
  const keys = (await clients.iam.listAccessKeys({ UserName: user })).AccessKeyMetadata ?? [];
  const pending = await tryReadSecret(clients, secretId, { VersionStage: PENDING });
  for (const key of keys) {
    if (!key.AccessKeyId || key.AccessKeyId === current.AccessKeyId) continue;
    if (pending && key.AccessKeyId === pending.AccessKeyId) {
      // A rotation that failed after creating its key left it pending: it never became current.
      await retireKey(clients, user, key.AccessKeyId);
      continue;
    }
    throw new Error(`User ${user} has access key ${key.AccessKeyId}, which secret ${secretId} does not hold; `
      + 'the rotation manages the user\'s only key: delete that key, or store it in the secret');
  }
  const created = (await clients.iam.createAccessKey({ UserName: user })).AccessKey;
  if (!created?.AccessKeyId || !created.SecretAccessKey) throw new Error(`IAM returned no access key for user ${user}`);
  const value: AccessKeySecret = { UserName: user, AccessKeyId: created.AccessKeyId, SecretAccessKey: created.SecretAccessKey };
  try {
    await clients.secrets.putSecretValue({
      SecretId: secretId, ClientRequestToken: token, SecretString: JSON.stringify(value), VersionStages: [PENDING],
    });
  } catch (e) {
    // Not stored: nobody can use the key, so it must not stay behind as the user's second key.
    await retireKey(clients, user, created.AccessKeyId);
    throw e;
  }
}

async function setSecret(secretId: string, token: string, clients: RotationClients): Promise<void> {
  const pending = await readSecret(clients, secretId, { VersionId: token, VersionStage: PENDING });
  const keys = (await clients.iam.listAccessKeys({ UserName: pending.UserName })).AccessKeyMetadata ?? [];
  const key = keys.find(k => k.AccessKeyId === pending.AccessKeyId);
  if (!key) throw new Error(`The pending access key ${pending.AccessKeyId} of user ${pending.UserName} does not exist`);
  if (key.Status !== 'Active') throw new Error(`The pending access key ${pending.AccessKeyId} of user ${pending.UserName} is ${key.Status}`);
}

async function testSecret(secretId: string, token: string, clients: RotationClients): Promise<void> {
  const pending = await readSecret(clients, secretId, { VersionId: token, VersionStage: PENDING });
  if (!pending.AccessKeyId || !pending.SecretAccessKey) throw new Error(`The pending version of secret ${secretId} holds no access key`);
  const sleep = clients.sleep ?? ((ms: number) => new Promise<void>(r => setTimeout(r, ms)));
  let last: unknown;
  for (let attempt = 1; attempt <= TEST_ATTEMPTS; attempt++) {
    try {
      const arn = await clients.callerArn({ accessKeyId: pending.AccessKeyId, secretAccessKey: pending.SecretAccessKey });
      if (!isUserArn(arn, pending.UserName)) throw new Error(`The pending access key signs as ${arn}, not as user ${pending.UserName}`);
      return;
    } catch (e) {
      last = e;
      if (attempt < TEST_ATTEMPTS) await sleep(TEST_WAIT_MS);
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}

async function finishSecret(secretId: string, token: string, stages: Record<string, string[]>, clients: RotationClients): Promise<void> {
  const currentVersion = Object.keys(stages).find(v => stages[v].includes(CURRENT));
  await clients.secrets.updateSecretVersionStage({
    SecretId: secretId, VersionStage: CURRENT, MoveToVersionId: token, RemoveFromVersionId: currentVersion,
  });
  await removePreviousKey(secretId, token, clients);
}

/** Deactivates and deletes the key of the `AWSPREVIOUS` version, unless it is the current one. */
async function removePreviousKey(secretId: string, token: string, clients: RotationClients): Promise<void> {
  const current = await readSecret(clients, secretId, { VersionId: token, VersionStage: CURRENT });
  const previous = await tryReadSecret(clients, secretId, { VersionStage: PREVIOUS });
  if (!previous?.AccessKeyId || previous.AccessKeyId === current.AccessKeyId) return;
  await retireKey(clients, current.UserName, previous.AccessKeyId);
}

/** Deactivates, then deletes a key; a key that is gone already is fine. */
async function retireKey(clients: RotationClients, user: string, accessKeyId: string): Promise<void> {
  try {
    await clients.iam.updateAccessKey({ UserName: user, AccessKeyId: accessKeyId, Status: 'Inactive' });
    await clients.iam.deleteAccessKey({ UserName: user, AccessKeyId: accessKeyId });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

function isUserArn(arn: string, userName: string): boolean {
  return /^arn:[^:]+:iam::\d{12}:user\//.test(arn) && arn.endsWith(`/${userName}`);
}

/** Which version of the secret: by stage, and by id too where the step knows it. */
interface VersionRef {
  readonly VersionId?: string;
  readonly VersionStage: string;
}

async function readSecret(clients: RotationClients, secretId: string, version: VersionRef): Promise<AccessKeySecret> {
  const value = await clients.secrets.getSecretValue({ SecretId: secretId, ...version });
  return parseSecret(secretId, value.SecretString);
}

async function tryReadSecret(clients: RotationClients, secretId: string, version: VersionRef): Promise<AccessKeySecret | undefined> {
  try {
    return await readSecret(clients, secretId, version);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

function parseSecret(secretId: string, text: string | undefined): AccessKeySecret {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    throw new Error(`Secret ${secretId} does not hold JSON`);
  }
  const userName = (value as { UserName?: unknown } | null)?.UserName;
  if (typeof userName !== 'string' || userName === '') throw new Error(`Secret ${secretId} holds no UserName`);
  return value as AccessKeySecret;
}

/** IAM's `NoSuchEntity` and Secrets Manager's `ResourceNotFoundException`. */
function isNotFound(e: unknown): boolean {
  const name = String((e as { name?: unknown } | null)?.name ?? '');
  return name === 'NoSuchEntityException' || name === 'NoSuchEntity' || name === 'ResourceNotFoundException';
}
