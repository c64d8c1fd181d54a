// The binary a platform package installed: `npm install rekognition-mock` also installs the one
// optional dependency whose `os` and `cpu` match the machine (esbuild's pattern), and it holds
// the static server at bin/rekognition-mock.
import { createRequire } from 'node:module';
import path from 'node:path';

// Platform packages by Node's `${process.platform} ${process.arch}`.
export const PLATFORM_PACKAGES = Object.freeze({
  'linux x64': 'rekognition-mock-linux-x64',
  'linux arm64': 'rekognition-mock-linux-arm64',
});

const require = createRequire(import.meta.url);

// The server's path in the platform package installed for `platform`/`arch`, or undefined.
export function bundledBinary(platform = process.platform, arch = process.arch) {
  const name = PLATFORM_PACKAGES[`${platform} ${arch}`];
  if (!name) return undefined;
  try {
    return path.join(path.dirname(require.resolve(`${name}/package.json`)), 'bin', 'rekognition-mock');
  } catch {
    return undefined; // not installed: a checkout, or installed with --omit=optional
  }
}

// Why no bundled binary exists here, for the error that asks for one.
export function missingBinaryHint(platform = process.platform, arch = process.arch) {
  const here = `${platform}-${arch}`;
  const built = Object.keys(PLATFORM_PACKAGES).map((key) => key.replace(' ', '-')).join(', ');
  return PLATFORM_PACKAGES[`${platform} ${arch}`]
    ? `its package for ${here}, ${PLATFORM_PACKAGES[`${platform} ${arch}`]}, is not installed ` +
        '(reinstall without --omit=optional)'
    : `no package of it is built for ${here} (only ${built})`;
}
