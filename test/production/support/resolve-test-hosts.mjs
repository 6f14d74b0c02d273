// Preloaded (`node --import`) into every process of the production build's test: names under .formulaire-qf.test
// resolve to 127.0.0.1, so that production's refusal of loopback upstreams holds while the test's servers stay on
// this machine. Nothing else is resolved differently.
import dns from 'node:dns';

const TEST_DOMAIN = /\.formulaire-qf\.test\.?$/i;
const lookup = dns.lookup;
dns.lookup = function lookupTestHosts(hostname, options, callback) {
  if (typeof hostname === 'string' && TEST_DOMAIN.test(hostname)) {
    const done = typeof options === 'function' ? options : callback;
    const all = typeof options === 'object' && options !== null && options.all;
    return process.nextTick(() => (all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4)));
  }
  return lookup.call(this, hostname, options, callback);
};
