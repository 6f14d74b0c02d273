import { Readable } from 'node:stream';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { journeyOverHttp } from '../../test/support/http-journey.ts';
import { startTestService, type TestService } from '../../test/support/service.ts';
import { LOCAL_API_PARTICULIER_TOKENS } from '../sandbox/api-particulier/index.ts';
import { siCredentialsFor } from '../sandbox/hubee/index.ts';
import { parseCsv } from '../editeur/csv.ts';
import { listPulledCases } from '../editeur/hubee-pull.ts';
import { verifyWebhook } from '../webhooks/signature.ts';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../webhooks/testing/receiver.ts';
import { main } from './formulaire-qf.ts';

const MAJASTRES = '21040107100019';

/** Runs the command in this process, as `formulaire-qf …` would. */
async function run(args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, env, { write: (t: string) => (out += t) }, { write: (t: string) => (err += t) }, Readable.from([stdin]));
  return { code, out, err };
}

describe('from a journey to the refreshed QF: webhooks, hubee pull, hubee status, qf refresh, qf lookup', () => {
  let test: TestService;
  let receiver: WebhookReceiver;
  let directory: string;
  let env: Record<string, string>;
  let api: (path: string, init?: { method?: string; body?: unknown; token?: string | null }) => Promise<{ status: number; body: Record<string, unknown> }>;
  const references: string[] = [];
  let endpoint: { id: string; secret: string };

  const messages = (type: string) => receiver.received.filter((m) => (JSON.parse(m.body) as { type: string }).type === type);
  async function until<T>(probe: () => T | null | undefined | false, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  before(async () => {
    test = await startTestService({ HUBEE_POLL_SECONDS: '0.5', WEBHOOK_SWEEP_SECONDS: '0.2' });
    receiver = await startWebhookReceiver();
    directory = await mkdtemp(join(tmpdir(), 'fqf-cli-'));
    const { config } = test.service.context;
    const credentials = siCredentialsFor(MAJASTRES);
    env = {
      HUBEE_API_URL: config.hubee.apiUrl,
      HUBEE_TOKEN_URL: config.hubee.tokenUrl,
      HUBEE_CLIENT_ID: credentials.clientId,
      HUBEE_CLIENT_SECRET: credentials.clientSecret,
      API_PARTICULIER_URL: config.apiParticulier.baseUrl,
      API_PARTICULIER_TOKEN: LOCAL_API_PARTICULIER_TOKENS.collectivity,
      RECIPIENT: MAJASTRES,
    };
    api = async (path, init = {}) => {
      const token = init.token === undefined ? config.secrets.apiToken : init.token;
      const response = await fetch(`${test.appUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
  });

  after(async () => {
    await receiver.close();
    await test.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('registers a webhook through the operator API (token, validation)', async () => {
    const body = { owner: { siret: MAJASTRES }, url: receiver.url, events: ['transmission.sent', 'transmission.status_changed'] };
    assert.equal((await api('/api/webhooks', { method: 'POST', body, token: null })).status, 401);
    assert.equal((await api('/api/webhooks', { method: 'POST', body, token: 'wrong-token-wrong-token-wrong-token' })).status, 401);
    const invalid = await api('/api/webhooks', { method: 'POST', body: { ...body, events: ['transmission.lost'] } });
    assert.equal(invalid.status, 422);
    const unknown = await api('/api/webhooks', { method: 'POST', body: { ...body, owner: { siret: '21300000000009' } } });
    assert.equal(unknown.status, 404);
    const created = await api('/api/webhooks', { method: 'POST', body });
    assert.equal(created.status, 201);
    endpoint = { id: String(created.body.id), secret: String(created.body.secret) };
    assert.match(endpoint.secret, /^whsec_/);
    const listed = await api('/api/webhooks');
    assert.deepEqual((listed.body.data as { id: string }[]).map((e) => e.id), [endpoint.id]);
    assert.equal(JSON.stringify(listed.body).includes(endpoint.secret), false, 'the secret is shown once');
  });

  it('tells the receiver of each transmission, signed', async () => {
    for (const [persona, externalId] of [['angela', 'dossier-1'], ['jeanne', 'dossier-2']] as const) {
      references.push(await journeyOverHttp(test.appUrl, { siret: MAJASTRES, persona, externalId }));
    }
    const sent = await until(() => (messages('transmission.sent').length >= 2 ? messages('transmission.sent') : null));
    for (const message of sent) assert.equal(verifyWebhook(message.headers, message.body, endpoint.secret), true);
    const data = sent.map((m) => (JSON.parse(m.body) as { data: { reference: string; external_id: string; hubee: { case_id: string } } }).data);
    assert.deepEqual(data.map((d) => d.reference).sort(), [...references].sort());
    assert.ok(data.every((d) => d.hubee.case_id));
    for (const message of sent) assert.equal(/DUBOIS|ROUX|Angela|2550/.test(message.body), false, 'nothing personal in a webhook');
  });

  it('hubee pull fetches both folders and the receiver hears that the commune received them', async () => {
    const pulled = await run(['hubee', 'pull', '--dir', directory], env);
    assert.equal(pulled.code, 0, pulled.err);
    assert.match(pulled.out, /2 notifications lues ; 2 télédossiers téléchargés, 0 déjà présent ; 2 passés à SI_RECEIVED/);
    assert.equal((await listPulledCases(directory)).length, 2);
    const changed = await until(() => (messages('transmission.status_changed').length >= 2 ? messages('transmission.status_changed') : null));
    assert.deepEqual(changed.map((m) => (JSON.parse(m.body) as { data: { status: string } }).data.status), ['SI_RECEIVED', 'SI_RECEIVED']);
    for (const message of changed) assert.equal(verifyWebhook(message.headers, message.body, endpoint.secret), true);
  });

  it('hubee status moves a case on, and the receiver hears it', async () => {
    const [first] = await listPulledCases(directory);
    assert.ok(first);
    const moved = await run(['hubee', 'status', first.pulled.caseId, 'DONE', '--message', 'Tarif appliqué.'], env);
    assert.equal(moved.code, 0, moved.err);
    assert.match(moved.out, /SI_RECEIVED → DONE/);
    await until(() => messages('transmission.status_changed').some((m) => (JSON.parse(m.body) as { data: { status: string } }).data.status === 'DONE'));
    const wrong = await run(['hubee', 'status', first.pulled.caseId, 'CLOSED'], env);
    assert.equal(wrong.code, 2);
    // The one line that matters, and the usage of this command only; the same statuses as the help's.
    assert.equal(wrong.err, `Statut inconnu : CLOSED (possibles : SI_RECEIVED, IN_PROGRESS, DONE, REFUSED).\nUsage : formulaire-qf hubee status <case-id> SI_RECEIVED|IN_PROGRESS|DONE|REFUSED [--message TEXTE]\n(formulaire-qf help hubee status pour l'aide)\n`);
    const [, second] = await listPulledCases(directory);
    assert.ok(second);
    const lower = await run(['hubee', 'status', second.pulled.caseId, 'in_progress'], env);
    assert.equal(lower.code, 0, lower.err);
    assert.match(lower.out, /SI_RECEIVED → IN_PROGRESS/);
  });

  it('qf refresh on the pulled folders gives each family its current QF, with the rate and the 429s in the summary', async () => {
    const out = join(directory, 'qf');
    const refreshed = await run(['qf', 'refresh', '--from', directory, '--out', out], env);
    assert.equal(refreshed.code, 0, refreshed.err);
    assert.match(refreshed.out, /2 personnes : 2 QF obtenus/);
    assert.match(refreshed.out, /2 requêtes en [0-9.]+ s, au rythme de [0-9.]+ requêtes\/s ; 0 réponse 429\./);
    const shownRate = Number(/au rythme de ([0-9.]+) requêtes/.exec(refreshed.out)?.[1]);
    assert.ok(shownRate <= 20, `shown ${shownRate}/s`);
    const csv = parseCsv(await readFile(`${out}.csv`, 'utf8'));
    assert.deepEqual(csv.map((l) => [l.external_id, l.statut, l.fournisseur]).sort(), [['dossier-1', 'ok', 'CNAF'], ['dossier-2', 'ok', 'MSA']]);
    // By identity, Angela DUBOIS is API Particulier staging's "200-usager-base-france_connect" case: 4270 (her
    // FranceConnect-route answer, 2550, is another staging case).
    assert.equal(csv.find((l) => l.external_id === 'dossier-1')?.quotient_familial, '4270');
  });

  it('qf lookup answers a counter agent, with clear French errors', async () => {
    const found = await run(['qf', 'lookup', '--nom-naissance', 'DUBOIS', '--prenoms', 'Angela Claire Louise', '--sexe', 'F', '--date-naissance', '1962-08-24', '--commune-naissance', '75107'], env);
    assert.equal(found.code, 0, found.err);
    assert.match(found.out, /Quotient familial CNAF : 4270 €/);
    const unknown = await run(['qf', 'lookup', '--nom-naissance', 'DUPONT', '--prenoms', 'Paul', '--sexe', 'M', '--date-naissance', '1962-08-24', '--commune-naissance', '75107'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /La CAF ne trouve pas de dossier allocataire pour cette personne \(code 23003\)/);
    const incomplete = await run(['qf', 'lookup', '--nom-naissance', 'DUBOIS', '--sexe', 'X', '--date-naissance', '1962-02-30'], env);
    assert.equal(incomplete.code, 2);
    assert.match(incomplete.err, /--prenoms : Un à trois prénoms/);
    assert.match(incomplete.err, /--sexe : Le sexe à l’état civil est obligatoire/);
    assert.match(incomplete.err, /--date-naissance : La date de naissance n’existe pas/);
    const expired = await run(['qf', 'lookup', '--nom-naissance', 'DUBOIS', '--prenoms', 'Angela', '--sexe', 'F', '--commune-naissance', '75107'], { ...env, API_PARTICULIER_TOKEN: LOCAL_API_PARTICULIER_TOKENS.expired });
    assert.match(expired.err, /jeton API Particulier est invalide ou expiré \(code 00103\)/);
  });

  it('takes secrets from the environment or standard input, and refuses them as options (visible in ps)', async () => {
    const lookup = ['qf', 'lookup', '--nom-naissance', 'DUBOIS', '--prenoms', 'Angela Claire Louise', '--sexe', 'F', '--date-naissance', '1962-08-24', '--commune-naissance', '75107'];
    const { API_PARTICULIER_TOKEN: token = '', ...withoutToken } = env;
    for (const option of ['--api-particulier-token', `--api-particulier-token=${token}`]) {
      const refused = await run([...lookup, ...(option.includes('=') ? [option] : [option, token])], withoutToken);
      assert.equal(refused.code, 2, option);
      assert.match(refused.err, /L’option --api-particulier-token n’est plus acceptée : un secret passé en option se voit dans la liste des processus \(ps\)/);
      assert.match(refused.err, /API_PARTICULIER_TOKEN, ou donnez --secret-stdin/);
    }
    const fromStdin = await run([...lookup, '--secret-stdin'], withoutToken, `${token}\n`);
    assert.equal(fromStdin.code, 0, fromStdin.err);
    assert.match(fromStdin.out, /Quotient familial CNAF : 4270 €/);
    const { HUBEE_CLIENT_SECRET: hubeeSecret = '', ...withoutHubeeSecret } = env;
    const pulledFromStdin = await run(['hubee', 'pull', '--dir', directory, '--secret-stdin'], withoutHubeeSecret, `${hubeeSecret}\n`);
    assert.equal(pulledFromStdin.code, 0, pulledFromStdin.err);
    const refusedHubee = await run(['hubee', 'pull', '--dir', directory, '--hubee-client-secret', hubeeSecret], withoutHubeeSecret);
    assert.equal(refusedHubee.code, 2);
    assert.match(refusedHubee.err, /--hubee-client-secret n’est plus acceptée/);
    const missing = await run(['hubee', 'pull', '--dir', directory], withoutHubeeSecret);
    assert.match(missing.err, /HUBEE_CLIENT_SECRET manque \(variable d’environnement, ou --secret-stdin\)/);
  });

  it('shows the delivery log with the receiver’s status codes, and replays a delivery with the same webhook-id', async () => {
    // The receiver has every message, but the app records each answer just after it came back: wait for the log.
    type Delivery = { id: string; status: string; last_status_code: number | null; event_type: string };
    let list: Delivery[] = [];
    for (const deadline = Date.now() + 20_000; ; await new Promise((resolve) => setTimeout(resolve, 50))) {
      const deliveries = await api(`/api/webhooks/${endpoint.id}/deliveries`);
      assert.equal(deliveries.status, 200);
      list = deliveries.body.data as Delivery[];
      if ((list.length >= 5 && list.every((d) => d.status === 'delivered')) || Date.now() > deadline) break;
    }
    assert.ok(list.length >= 5);
    assert.ok(list.every((d) => d.status === 'delivered' && d.last_status_code === 204));
    const target = list.find((d) => d.event_type === 'transmission.sent');
    assert.ok(target);
    const detail = await api(`/api/webhooks/deliveries/${target.id}`);
    assert.deepEqual((detail.body.log as { status_code: number }[]).map((a) => a.status_code), [204]);

    const before = receiver.received.length;
    const replayed = await api(`/api/webhooks/deliveries/${target.id}/replay`, { method: 'POST', body: {} });
    assert.equal(replayed.status, 202);
    // Another event (a status set earlier) may land meanwhile: the replay is the one with the same webhook-id.
    const again: ReceivedWebhook = await until(() => receiver.received.slice(before).find((m) => m.headers['webhook-id'] === target.id));
    assert.equal(again.headers['webhook-id'], target.id);
    assert.equal(verifyWebhook(again.headers, again.body, endpoint.secret), true);
    assert.equal((await api('/api/webhooks/deliveries/msg_00000000000000000000000000000000/replay', { method: 'POST', body: {} })).status, 404);
    assert.equal((await api('/api/webhooks/deliveries/not-an-id/replay', { method: 'POST', body: {} })).status, 400);
  });

  it('serves the JSON Schema of FormulaireQF.json, the same as docs/schemas', async () => {
    const response = await fetch(`${test.appUrl}/schemas/formulaire-qf.json`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/schema\+json/);
    const file = JSON.parse(await readFile(new URL('../../docs/schemas/formulaire-qf.schema.json', import.meta.url), 'utf8')) as unknown;
    assert.deepEqual(await response.json(), file);
  });

  it('helps by topic, shows the one usage line that matters, and says what to do about HubEE and file errors', async () => {
    const hubeeHelp = await run(['help', 'hubee'], env);
    assert.equal(hubeeHelp.code, 0);
    assert.match(hubeeHelp.out, /formulaire-qf hubee pull --dir DOSSIER/);
    assert.match(hubeeHelp.out, /formulaire-qf hubee status <case-id> SI_RECEIVED\|IN_PROGRESS\|DONE\|REFUSED/);
    assert.doesNotMatch(hubeeHelp.out, /qf refresh/);
    assert.match((await run(['help', 'qf', 'refresh'], env)).out, /Codes de sortie : 0 .*3 .*\n.*4 \(aucun QF obtenu\)/s);
    assert.match((await run(['qf', 'refresh', '--help'], env)).out, /Codes de sortie/);
    const unknownTopic = await run(['help', 'nope'], env);
    assert.equal(unknownTopic.code, 2);
    assert.match(unknownTopic.err, /Aide inconnue : nope\. Sujets : hubee pull, hubee status/);

    const noDir = await run(['hubee', 'pull'], env);
    assert.equal(noDir.code, 2);
    assert.equal(noDir.err, `--dir manque : le dossier où ranger les télédossiers.\nUsage : formulaire-qf hubee pull --dir DOSSIER\n(formulaire-qf help hubee pull pour l'aide)\n`);
    const unknownOption = await run(['qf', 'refresh', '--nope'], env);
    assert.equal(unknownOption.code, 2);
    assert.match(unknownOption.err, /^Option inconnue : --nope\.\nUsage : formulaire-qf qf refresh /);

    // Node's recursive mkdir spins forever under /proc: the tool says at once that the directory cannot be used.
    const unusable = await run(['hubee', 'pull', '--dir', '/proc/formulaire-qf-test'], env);
    assert.equal(unusable.code, 1);
    assert.match(unusable.err, /Le dossier \/proc\/formulaire-qf-test est inutilisable : création impossible à cet endroit\./);
    assert.equal((await run(['qf', 'refresh', '--csv', 'docs/exemples/familles.csv', '--out', '/proc/formulaire-qf-test/qf'], env)).code, 1);

    const wrongSecret = await run(['hubee', 'pull', '--dir', directory], { ...env, HUBEE_CLIENT_SECRET: 'pas-le-bon-secret' });
    assert.equal(wrongSecret.code, 1);
    assert.match(wrongSecret.err, /^Erreur : HubEE refuse les identifiants \(HTTP 401/);
    assert.match(wrongSecret.err, new RegExp(`Adresse appelée : POST ${env.HUBEE_TOKEN_URL}\n`));
    assert.match(wrongSecret.err, /À faire : vérifiez HUBEE_CLIENT_ID et HUBEE_CLIENT_SECRET/);
    const unknownCase = await run(['hubee', 'status', '00000000-0000-4000-8000-000000000000', 'DONE'], env);
    assert.equal(unknownCase.code, 1);
    assert.match(unknownCase.err, /HubEE ne trouve pas ce qui est demandé \(HTTP 404/);
    assert.match(unknownCase.err, /Adresse appelée : [A-Z]+ http:\/\/[^ ]+\/cases\/00000000-0000-4000-8000-000000000000/);

    const marie = await run(['qf', 'lookup', '--nom-naissance', 'MARTIN', '--prenoms', 'Marie', '--sexe', 'F', '--date-naissance', '1980-01-01', '--commune-naissance', '75056'], env);
    assert.equal(marie.code, 1);
    assert.match(marie.err, /75056 est le code de Paris entière : essayez celui de l’arrondissement de naissance, de 75101 \(1er\) à 75120 \(20e\)/);
  });

  it('qf refresh on the guide’s sample familles.csv: one label per status, the field at fault, exit 4 when no QF came', async () => {
    const out = join(directory, 'familles');
    const refreshed = await run(['qf', 'refresh', '--csv', 'docs/exemples/familles.csv', '--out', out], env);
    assert.equal(refreshed.code, 0, refreshed.err);
    assert.match(refreshed.out, /^5 personnes : 3 QF obtenus ; autres résultats : /);
    assert.match(refreshed.out, /personne inconnue de la CAF ou de la MSA \(not_found\) : 1/);
    assert.match(refreshed.out, /ligne incomplète \(voir la colonne champ\) \(ligne_incomplete\) : 1/);
    const csv = parseCsv(await readFile(`${out}.csv`, 'utf8'));
    assert.deepEqual(csv.map((l) => [l.id, l.statut, l.champ]), [
      ['famille-001', 'ok', ''],
      ['famille-002', 'ok', ''],
      ['famille-003', 'ok', ''],
      ['famille-004', 'not_found', ''],
      ['famille-005', 'ligne_incomplete', 'sexeEtatCivil'],
    ]);

    const nobody = join(directory, 'inconnus.csv');
    await writeFile(nobody, 'id,nomNaissance,prenoms,sexeEtatCivil,anneeDateNaissance,moisDateNaissance,jourDateNaissance,codeCogInseePaysNaissance,codeCogInseeCommuneNaissance\nx,DUPONT,Paul,M,1962,8,24,99100,75107\n');
    const none = await run(['qf', 'refresh', '--csv', nobody, '--out', join(directory, 'inconnus')], env);
    assert.equal(none.code, 4, none.out);
    assert.match(none.out, /^1 personne : 0 QF obtenu ;/);
  });

  it('leaves nothing personal in the service’s logs', () => {
    const logs = test.logs.join('');
    for (const word of ['DUBOIS', 'Angela', 'ROUX', 'Jeanne', '1962-08-24']) assert.equal(logs.includes(word), false, word);
  });
});
