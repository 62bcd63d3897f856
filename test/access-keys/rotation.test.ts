/**
 * The rotation steps run against a fake IAM and a fake Secrets Manager that keep state the
 * way the services do (keys with a status, at most two per user; secret versions with
 * staging labels), so each test follows a key through Secrets Manager's four steps and
 * checks, after each failure, that the application's key (AWSCURRENT) still works.
 */
import {
  AccessKeySecret, RotationClients, RotationEvent, RotationIamClient, RotationSecretsClient, rotate,
} from '../../src/access-keys/rotation-function/rotation';

const SECRET = 'arn:aws:secretsmanager:us-east-1:222222222222:secret:legacy-abc123';
const USER = 'LegacyUser';
const USER_ARN = `arn:aws:iam::222222222222:user/legacy/${USER}`;

class AwsError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** IAM's access keys of one user: at most two, each Active or Inactive. */
class FakeIam implements RotationIamClient {
  public readonly keys = new Map<string, { secret: string; status: 'Active' | 'Inactive' }>();
  public failOn = new Set<string>();
  private next = 1;

  public async createAccessKey(input: { UserName: string }) {
    this.check('createAccessKey', input.UserName);
    if (this.keys.size >= 2) throw new AwsError('LimitExceededException', 'Cannot exceed quota for AccessKeysPerUser: 2');
    const id = `AKIAEXAMPLE${String(this.next++).padStart(9, '0')}`;
    const secret = `secret-of-${id}`;
    this.keys.set(id, { secret, status: 'Active' });
    return { AccessKey: { AccessKeyId: id, SecretAccessKey: secret } };
  }
  public async listAccessKeys(input: { UserName: string }) {
    this.check('listAccessKeys', input.UserName);
    return { AccessKeyMetadata: [...this.keys].map(([id, k]) => ({ AccessKeyId: id, Status: k.status })) };
  }
  public async updateAccessKey(input: { UserName: string; AccessKeyId: string; Status: 'Active' | 'Inactive' }) {
    this.check('updateAccessKey', input.UserName);
    const key = this.keys.get(input.AccessKeyId);
    if (!key) throw new AwsError('NoSuchEntityException', `The Access Key with id ${input.AccessKeyId} cannot be found`);
    key.status = input.Status;
    return {};
  }
  public async deleteAccessKey(input: { UserName: string; AccessKeyId: string }) {
    this.check('deleteAccessKey', input.UserName);
    if (!this.keys.delete(input.AccessKeyId)) throw new AwsError('NoSuchEntityException', `The Access Key with id ${input.AccessKeyId} cannot be found`);
    return {};
  }
  /** Whether a request signed with this key id and secret is authenticated. */
  public works(id: string | undefined, secret: string | undefined): boolean {
    const key = id ? this.keys.get(id) : undefined;
    return key !== undefined && key.status === 'Active' && key.secret === secret;
  }
  private check(operation: string, user: string) {
    if (user !== USER) throw new AwsError('NoSuchEntityException', `The user with name ${user} cannot be found`);
    if (this.failOn.has(operation)) throw new AwsError('ServiceFailureException', `${operation} failed`);
  }
}

/** Secrets Manager's versions of one secret and their staging labels. */
class FakeSecrets implements RotationSecretsClient {
  public readonly versions = new Map<string, { value: string; stages: string[] }>();
  public failOn = new Set<string>();

  constructor(initial: AccessKeySecret) {
    this.versions.set('v0', { value: JSON.stringify(initial), stages: ['AWSCURRENT'] });
  }
  public async describeSecret() {
    this.check('describeSecret');
    const labelled = [...this.versions].filter(([, v]) => v.stages.length > 0);
    return { RotationEnabled: true, VersionIdsToStages: Object.fromEntries(labelled.map(([id, v]) => [id, [...v.stages]])) };
  }
  public async getSecretValue(input: { SecretId: string; VersionId?: string; VersionStage?: string }) {
    this.check('getSecretValue');
    const found = [...this.versions].find(([id, v]) => (input.VersionId === undefined || id === input.VersionId)
      && (input.VersionStage === undefined || v.stages.includes(input.VersionStage)));
    if (!found) throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value");
    return { SecretString: found[1].value, VersionId: found[0] };
  }
  public async putSecretValue(input: { SecretId: string; ClientRequestToken: string; SecretString: string; VersionStages: string[] }) {
    this.check('putSecretValue');
    for (const stage of input.VersionStages) this.removeStage(stage);
    this.versions.set(input.ClientRequestToken, { value: input.SecretString, stages: [...input.VersionStages] });
    return {};
  }
  public async updateSecretVersionStage(input: { SecretId: string; VersionStage: string; MoveToVersionId?: string; RemoveFromVersionId?: string }) {
    this.check('updateSecretVersionStage');
    if (input.VersionStage === 'AWSCURRENT') {
      // Secrets Manager moves AWSPREVIOUS to the version that loses AWSCURRENT.
      this.removeStage('AWSPREVIOUS');
      const old = input.RemoveFromVersionId ? this.versions.get(input.RemoveFromVersionId) : undefined;
      if (old) old.stages = [...old.stages.filter(s => s !== 'AWSCURRENT'), 'AWSPREVIOUS'];
    }
    const target = this.versions.get(input.MoveToVersionId!)!;
    target.stages = [...target.stages.filter(s => s !== 'AWSPENDING'), input.VersionStage];
    return {};
  }
  /** Starts a rotation as Secrets Manager does: a new token that the version stages list as pending. */
  public startRotation(token: string) {
    this.removeStage('AWSPENDING');
    this.versions.set(token, { value: '', stages: ['AWSPENDING'] });
  }
  public value(stage: string): AccessKeySecret | undefined {
    const v = [...this.versions.values()].find(x => x.stages.includes(stage));
    return v && v.value ? JSON.parse(v.value) : undefined;
  }
  private removeStage(stage: string) {
    for (const v of this.versions.values()) v.stages = v.stages.filter(s => s !== stage);
  }
  private check(operation: string) {
    if (this.failOn.has(operation)) throw new AwsError('InternalServiceError', `${operation} failed`);
  }
}

/**
 * Versions that `startRotation` created hold no value until createSecret stores one; the
 * fake's getSecretValue then finds nothing for them, as Secrets Manager does for a version
 * id that has no value yet.
 */
function world(initialKey: boolean = true) {
  const iam = new FakeIam();
  let initial: AccessKeySecret = { UserName: USER };
  if (initialKey) {
    iam.keys.set('AKIAOLDKEY000000001', { secret: 'old-secret', status: 'Active' });
    initial = { UserName: USER, AccessKeyId: 'AKIAOLDKEY000000001', SecretAccessKey: 'old-secret' };
  }
  const secrets = new FakeSecrets(initial);
  // getSecretValue of a version without a value: not found.
  const get = secrets.getSecretValue.bind(secrets);
  secrets.getSecretValue = async (input) => {
    const result = await get(input);
    if (result.SecretString === '') throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value");
    return result;
  };
  const signedIn: string[] = [];
  const clients: RotationClients = {
    iam,
    secrets,
    callerArn: async ({ accessKeyId, secretAccessKey }) => {
      signedIn.push(accessKeyId);
      if (!iam.works(accessKeyId, secretAccessKey)) throw new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.');
      return USER_ARN;
    },
    sleep: async () => undefined,
  };
  /** Whether the application, reading AWSCURRENT, can sign requests. */
  const applicationWorks = () => {
    const current = secrets.value('AWSCURRENT');
    return iam.works(current?.AccessKeyId, current?.SecretAccessKey);
  };
  return { iam, secrets, clients, signedIn, applicationWorks };
}

const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];
const event = (token: string, step: string): RotationEvent => ({ SecretId: SECRET, ClientRequestToken: token, Step: step });

async function rotation(w: ReturnType<typeof world>, token: string, steps: string[] = STEPS): Promise<void> {
  w.secrets.startRotation(token);
  for (const step of steps) await rotate(event(token, step), w.clients);
}

describe('a full rotation', () => {
  test('creates a new key, stores it, verifies it, makes it current, then deactivates and deletes the old one', async () => {
    // GIVEN
    const w = world();
    // WHEN
    await rotation(w, 'token-1');
    // THEN
    const current = w.secrets.value('AWSCURRENT')!;
    expect(current).toEqual({ UserName: USER, AccessKeyId: 'AKIAEXAMPLE000000001', SecretAccessKey: 'secret-of-AKIAEXAMPLE000000001' });
    expect([...w.iam.keys.keys()]).toEqual(['AKIAEXAMPLE000000001']);
    expect(w.applicationWorks()).toBe(true);
    expect(w.secrets.value('AWSPREVIOUS')?.AccessKeyId).toBe('AKIAOLDKEY000000001');
    expect(w.signedIn).toEqual(['AKIAEXAMPLE000000001']);
  });

  test('the first rotation after deployment creates the first key (the secret holds only the user name)', async () => {
    const w = world(false);
    expect(w.applicationWorks()).toBe(false);
    await rotation(w, 'token-1');
    expect(w.applicationWorks()).toBe(true);
    expect(w.iam.keys.size).toBe(1);
  });

  test('rotating twice leaves one key, the newest', async () => {
    const w = world();
    await rotation(w, 'token-1');
    await rotation(w, 'token-2');
    expect([...w.iam.keys.keys()]).toEqual(['AKIAEXAMPLE000000002']);
    expect(w.applicationWorks()).toBe(true);
  });

  test('each step is idempotent: Secrets Manager may call a step again', async () => {
    const w = world();
    w.secrets.startRotation('token-1');
    for (const step of STEPS) {
      await rotate(event('token-1', step), w.clients);
      await rotate(event('token-1', step), w.clients);
    }
    expect([...w.iam.keys.keys()]).toEqual(['AKIAEXAMPLE000000001']);
    expect(w.applicationWorks()).toBe(true);
  });
});

describe('a failure halfway leaves the old key working', () => {
  test.each([
    ['createSecret', 'iam', 'createAccessKey'],
    ['createSecret', 'secrets', 'putSecretValue'],
    ['setSecret', 'iam', 'listAccessKeys'],
    ['finishSecret', 'secrets', 'updateSecretVersionStage'],
  ])('%s failing at %s.%s', async (failingStep, service, operation) => {
    // GIVEN
    const w = world();
    w.secrets.startRotation('token-1');
    // WHEN the steps run until one fails
    for (const step of STEPS) {
      if (step === failingStep) (service === 'iam' ? w.iam : w.secrets).failOn.add(operation);
      const run = rotate(event('token-1', step), w.clients);
      if (step === failingStep) {
        await expect(run).rejects.toThrow(`${operation} failed`);
        break;
      }
      await run;
    }
    // THEN the application still signs with the old key, which is still current
    expect(w.secrets.value('AWSCURRENT')?.AccessKeyId).toBe('AKIAOLDKEY000000001');
    expect(w.applicationWorks()).toBe(true);
  });

  test('a key that was created but not stored is deleted: the user does not keep an unknown second key', async () => {
    const w = world();
    w.secrets.startRotation('token-1');
    w.secrets.failOn.add('putSecretValue');
    await expect(rotate(event('token-1', 'createSecret'), w.clients)).rejects.toThrow('putSecretValue failed');
    expect([...w.iam.keys.keys()]).toEqual(['AKIAOLDKEY000000001']);
  });

  test('a new key that does not sign in fails testSecret, after retries, and is never made current', async () => {
    const w = world();
    w.secrets.startRotation('token-1');
    await rotate(event('token-1', 'createSecret'), w.clients);
    await rotate(event('token-1', 'setSecret'), w.clients);
    w.iam.keys.get('AKIAEXAMPLE000000001')!.secret = 'changed'; // the stored secret no longer matches
    await expect(rotate(event('token-1', 'testSecret'), w.clients)).rejects.toThrow('The security token included in the request is invalid.');
    expect(w.signedIn).toHaveLength(6);
    expect(w.secrets.value('AWSCURRENT')?.AccessKeyId).toBe('AKIAOLDKEY000000001');
    expect(w.applicationWorks()).toBe(true);
  });

  test('a key that signs as another identity fails testSecret', async () => {
    const v = world();
    const other: RotationClients = { ...v.clients, callerArn: async () => 'arn:aws:iam::222222222222:user/Someone' };
    v.secrets.startRotation('token-1');
    await rotate(event('token-1', 'createSecret'), other);
    await expect(rotate(event('token-1', 'testSecret'), other)).rejects.toThrow(`signs as arn:aws:iam::222222222222:user/Someone, not as user ${USER}`);
    expect(v.applicationWorks()).toBe(true);
  });

  test('deactivating the old key failing after the switch: the new key is current and works, the old one too', async () => {
    const w = world();
    w.secrets.startRotation('token-1');
    for (const step of STEPS.slice(0, 3)) await rotate(event('token-1', step), w.clients);
    w.iam.failOn.add('updateAccessKey');
    await expect(rotate(event('token-1', 'finishSecret'), w.clients)).rejects.toThrow('updateAccessKey failed');
    expect(w.secrets.value('AWSCURRENT')?.AccessKeyId).toBe('AKIAEXAMPLE000000001');
    expect(w.applicationWorks()).toBe(true);
    expect(w.iam.works('AKIAOLDKEY000000001', 'old-secret')).toBe(true);
    // Secrets Manager calls finishSecret again: the old key goes.
    w.iam.failOn.clear();
    await rotate(event('token-1', 'finishSecret'), w.clients);
    expect([...w.iam.keys.keys()]).toEqual(['AKIAEXAMPLE000000001']);
  });

  test('the next rotation removes the key that a failed one left pending', async () => {
    const w = world();
    w.secrets.startRotation('token-1');
    await rotate(event('token-1', 'createSecret'), w.clients);
    expect(w.iam.keys.size).toBe(2); // the failed rotation's key, pending, never current
    // A new rotation with a new token (the failed version keeps its value, without a stage).
    const token = 'token-2';
    w.secrets.versions.set(token, { value: '', stages: ['AWSPENDING'] });
    await rotate(event(token, 'createSecret'), w.clients);
    for (const step of STEPS.slice(1)) await rotate(event(token, step), w.clients);
    expect([...w.iam.keys.keys()]).toEqual(['AKIAEXAMPLE000000002']);
    expect(w.applicationWorks()).toBe(true);
  });
});

describe('refusals', () => {
  test('a key the secret does not hold is never deleted: the rotation stops and says which', async () => {
    const w = world();
    w.iam.keys.set('AKIAMANUAL000000001', { secret: 's', status: 'Active' });
    w.secrets.startRotation('token-1');
    await expect(rotate(event('token-1', 'createSecret'), w.clients))
      .rejects.toThrow(`User ${USER} has access key AKIAMANUAL000000001, which secret ${SECRET} does not hold`);
    expect(w.iam.keys.has('AKIAMANUAL000000001')).toBe(true);
    expect(w.applicationWorks()).toBe(true);
  });

  test('a token that is not pending, an unknown step and a secret without rotation are refused', async () => {
    const w = world();
    await expect(rotate(event('nope', 'createSecret'), w.clients)).rejects.toThrow('Secret version nope has no stage for rotation');
    w.secrets.versions.set('stale', { value: '{"UserName":"x"}', stages: ['AWSPREVIOUS'] });
    await expect(rotate(event('stale', 'createSecret'), w.clients)).rejects.toThrow('is not set as AWSPENDING');
    w.secrets.startRotation('token-1');
    await expect(rotate(event('token-1', 'dropSecret'), w.clients)).rejects.toThrow('Invalid step parameter dropSecret');
    const secrets = { ...w.secrets, describeSecret: async () => ({ RotationEnabled: false }) } as unknown as RotationSecretsClient;
    const disabled: RotationClients = { ...w.clients, secrets };
    await expect(rotate(event('token-1', 'createSecret'), disabled)).rejects.toThrow('is not enabled for rotation');
  });

  test('a secret that is not the JSON of a user is refused before IAM is called', async () => {
    const w = world();
    w.secrets.versions.get('v0')!.value = 'AKIA...:secret';
    w.secrets.startRotation('token-1');
    w.iam.failOn.add('listAccessKeys');
    await expect(rotate(event('token-1', 'createSecret'), w.clients)).rejects.toThrow(`Secret ${SECRET} does not hold JSON`);
  });
});
