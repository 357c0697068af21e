/**
 * The whole scenario corpus on the bundled reference runtime, as mocha
 * tests: one test per scenario and Python profile, named `<id>: <title>`.
 * A scenario outside a profile's range is skipped, not passed.
 */
import { describeScenarios, loadCorpus } from '../api';
import { KNOWN_PYTHONS } from '../language/versions';

const corpus = loadCorpus();
for (const python of KNOWN_PYTHONS) {
  describeScenarios({ impl: 'reference', python, corpus, title: `corpus on the reference runtime as Python ${python}` });
}
