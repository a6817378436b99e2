// Pulumi's SDK captures `new Error().stack` for every promise it makes while registering a resource (four per input
// property, runtime/rpc.ts transferProperties), only for its report of promises left pending at exit; the program's
// source-map-support then maps each of those frames. For a resource of 17 properties that was most of the program's
// CPU per resource (bench/: 4.7 ms more than a 6-property resource, 90% of it in those stack traces). The resource's
// own source position is unaffected: the SDK raises the limit itself when it reads it (Resource.callsites).

/**
 * Stops V8 from collecting stack frames until the returned function is called (call it in a `finally`, right after
 * `super(...)`): errors made meanwhile keep their message, without frames.
 */
export function pauseStackTraces(): () => void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = limit;
  };
}
