/**
 * Preloaded once into the worker's shared V8 context, before the SDK freezes its globals
 * (`preloadModules` in worker/workflow-bundle.ts). For every promise workflow code creates, the
 * SDK captures a stack (for the UI's Stack Trace tab) and maps each frame through the bundle's
 * source map: a fifth of a transfer's workflow CPU (docs/performance.md, "Stack capture").
 * Two frames are the SDK hook's own, so the capture stops before any workflow frame, while an
 * error thrown by workflow code still names the two frames where it was thrown. Where a transfer
 * waits is in its search attributes and timeline, not in a stack.
 */
Error.stackTraceLimit = 2;

export {};
