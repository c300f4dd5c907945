export type { BreakingChange } from './breaking/changes.js';
export { compareSpecs } from './breaking/compare.js';
export { type BreakingRule, type BreakingRuleId, type BreakingSeverity, breakingRules } from './breaking/rules.js';
export { type BaseResolution, type BaseRevision, readAtRevision, resolveBase } from './git.js';
export { defaultIgnoreFile, type IgnoreEntry, loadIgnoreFile } from './ignore.js';
export { renderAnnotations } from './report/annotations.js';
export { renderJson } from './report/json.js';
export { renderJunit } from './report/junit.js';
export { renderMarkdown } from './report/markdown.js';
export { type Paint, renderTerminal } from './report/terminal.js';
export {
  parseReportTargets,
  type ReportFormat,
  type ReportTarget,
  renderReport,
  writeReports,
} from './report/write.js';
export { findProjectRoot } from './root.js';
export { runDrift, stepTitles } from './run.js';
export * from './types.js';
