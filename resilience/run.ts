/**
 * `npm run resilience`: the chaos run, the crash run on both databases, the cluster run, then the soak, one after the other, with
 * their settings from the environment (README.md, "Resilience"); exits 1 if any of them fails.
 */
import { chaosSettingsFromEnv, runChaos } from './chaos.ts';
import { clusterSettingsFromEnv, runCluster } from './cluster.ts';
import { crashSettingsFromEnv, runCrash } from './crash.ts';
import { runSoak, soakSettingsFromEnv } from './soak.ts';

const results: [string, boolean][] = [];
results.push(['chaos', await runChaos(chaosSettingsFromEnv())]);
for (const database of ['embedded', 'postgres'] as const) results.push([`crash (${database})`, await runCrash(database, crashSettingsFromEnv())]);
results.push(['cluster', await runCluster(clusterSettingsFromEnv())]);
results.push(['soak', await runSoak(soakSettingsFromEnv())]);
console.log('');
for (const [name, ok] of results) console.log(`${ok ? 'PASSED' : 'FAILED'}  ${name}`);
process.exit(results.every(([, ok]) => ok) ? 0 : 1);
