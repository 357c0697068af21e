/**
 * A worker thread running scenarios on an in-process adapter for
 * WorkerExecutor: one request at a time, `{seq, scenario, python}` in,
 * `{seq, ok, result | reason}` out.
 */
import { parentPort, workerData } from 'worker_threads';
import type { Scenario } from '../language/ast';
import type { InProcessAdapter } from '../adapters/adapter';
import { instantiateAdapter, interpreter, referenceAdapter } from './deps';
import { describeError, type WorkerAdapterSpec } from './executor';

const spec = workerData as WorkerAdapterSpec;
let adapter: InProcessAdapter | undefined;
let interpret: ReturnType<typeof interpreter> | undefined;
let failure: string | undefined;
try {
  interpret = interpreter();
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  adapter = spec.kind === 'reference' ? referenceAdapter() : instantiateAdapter(require(spec.path), 'The adapter module', spec.path);
} catch (err) {
  failure = describeError(err);
}

parentPort!.on('message', async (msg: { seq: number; scenario: Scenario; python: string }) => {
  if (!adapter || !interpret) {
    parentPort!.postMessage({ seq: msg.seq, ok: false, reason: `harness error: ${failure}` });
    return;
  }
  try {
    const result = await interpret(msg.scenario, adapter, msg.python);
    parentPort!.postMessage({ seq: msg.seq, ok: true, result });
  } catch (err) {
    parentPort!.postMessage({ seq: msg.seq, ok: false, reason: `harness error: ${describeError(err)}` });
  }
});
