// A TCP port of 127.0.0.1 that was free a moment ago, for what must know its port before it listens: a loopback
// redirect URI registered before the verifier listens on it, an sshd (which cannot pick one itself), a port that
// nothing answers on. The emulator's own finder.
export { freeLoopbackPort as freePort } from "../../emulator";
