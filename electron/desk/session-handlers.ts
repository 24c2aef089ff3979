// The 'session.*' channels. Only what the renderer may see crosses: the user, the step of sign-in, the
// enrolment's QR link and secret. The login and access tokens stay in the session.
import type { DeskHandlers } from './handlers';
import type { DeskSession } from './session';

export function sessionHandlers(session: DeskSession): DeskHandlers {
  return {
    'session.state': () => session.state(),
    'session.signIn': ({ username, password }) => session.signIn(username, password),
    'session.redeemInvitation': ({ token, password }) => session.redeemInvitation(token, password),
    'session.verify': ({ code }) => session.verify(code),
    'session.signOut': async () => {
      await session.signOut();
      return null;
    },
    'session.activity': async () => {
      await session.markActive();
      return null;
    },
  };
}
