export { type DemoCase, demoCases, EXPECTED, type Expectation } from './mode-table.js';
export { type DemoOptions, runDemo } from './run-demo.js';
