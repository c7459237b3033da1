// The fault and cluster files mostly wait (on outages, timeouts and retries), so `npm test` runs
// them three at a time, in this order: the long fault suites first, side by side with the IMAP
// one; the fuzzer (busy all along) once that is done, so that it does not meet the cluster suite's
// burst of 500 intakes at its start; the short production-shape suite last. Left to itself on a
// clean clone, jest orders files by size. Files not named here keep jest's own order, after these.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads a sequencer as CommonJS
const Sequencer = require('@jest/test-sequencer').default;

const order = ['test/cluster/faults.test.ts', 'test/faults/faults.test.ts', 'test/faults/imap.test.ts', 'test/cluster/fuzz.test.ts', 'test/cluster/production.test.ts'];

class FaultsFirst extends Sequencer {
  async sort(tests) {
    const base = await super.sort(tests);
    const rank = (test) => {
      const at = order.indexOf(test.path.slice(test.context.config.rootDir.length + 1));
      return at < 0 ? order.length : at;
    };
    return [...base].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = FaultsFirst;
