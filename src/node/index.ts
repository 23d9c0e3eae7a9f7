/**
 * brainweave/node: the Node-only entry (files, terminal). Importing it installs the terminal progress
 * printer for `progress: true`. The main entry ('brainweave') stays free of fs/process so it bundles for
 * a browser.
 */
import { installTerminalProgress } from './progress';

installTerminalProgress();

export { installTerminalProgress };
export { writeSVG } from './write-svg';
