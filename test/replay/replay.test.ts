import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { dataConverter } from '../../codec';
import { quietRuntime, testKeyRing, testWorkflowBundle } from '../support/temporal';

quietRuntime();

const historiesDir = join(__dirname, 'histories');
const histories = readdirSync(historiesDir).filter((f) => f.endsWith('.json')).sort();

describe('recorded histories replay against the current workflow code', () => {
  it('has recorded histories to replay', () => {
    expect(histories.length).toBeGreaterThan(0);
  });

  it.each(histories)('%s replays without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(historiesDir, file), 'utf8')));
    expect(history.events?.length).toBeGreaterThan(5);
    // With the codec: histories from before it hold plain payloads, which it reads as they are.
    await Worker.runReplayHistory({ ...testWorkflowBundle(), dataConverter: dataConverter(testKeyRing) }, history, file);

  });

  // npm 11 can leave @temporalio/* with copies of protobufjs 7 and 8 side by side; then the
  // History that historyFromJSON builds is not the class the worker expects and replay of
  // JSON histories breaks. The direct protobufjs 8 dependency makes them share one copy.
  it('loads a single protobufjs for every @temporalio package', () => {
    const copies = new Set(
      ['@temporalio/common', '@temporalio/proto', '@temporalio/worker', '@temporalio/client'].map((pkg) =>
        require.resolve('protobufjs', { paths: [dirname(require.resolve(`${pkg}/package.json`))] }),
      ),
    );
    expect([...copies]).toHaveLength(1);
  });
});
