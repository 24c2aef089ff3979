// The 'session.*' channels. Only what the renderer may see crosses: the user, the step of sign-in, the
// enrolment's QR link and secret. The login and access tokens stay in the session.
import type { DeskHandlers } from './handlers';
import { parseChannelInput } from './outbox/channel-input';
import type { DeskSession } from './session';

export function sessionHandlers(session: DeskSession): DeskHandlers {
  return {
    'session.state': () => session.state(),
    'session.signIn': (input) => {
      const { username, password } = parseChannelInput('session.signIn', input);
      return session.signIn(username, password);
    },
    'session.verify': (input) => session.verify(parseChannelInput('session.verify', input).code),
    'session.signOut': async () => {
      await session.signOut();
      return null;
    },
  };
}
