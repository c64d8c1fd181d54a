// One mock for the whole run, before any test file (REKOGNITION_MOCK_BIN names the binary).
import { fileURLToPath } from 'node:url';
import { globalSetup } from 'rekognition-mock';

const fixtures = fileURLToPath(new URL('../../../../fixtures/default-jobs.json', import.meta.url));

// Started jobs take a minute of the mock's clock: 20 s each CREATED, QUEUED, IN_PROGRESS.
export default () => globalSetup({ fixtures: [fixtures], args: ['--job-duration', '60'] });
