import type { Config } from '../../config/config.ts';
import type { EspaceContext, EspaceSessionData } from '../../espace-context.ts';
import { signInCookies, type SignInCookies } from '../sign-in/session-cookies.ts';

/** The espace collectivité's cookies: `fqf_espace` (the session's id) and `fqf_espace_login` (the ProConnect attempt). */
export type EspaceCookies = SignInCookies<EspaceSessionData>;

export function espaceCookies(config: Config, espace: EspaceContext): EspaceCookies {
  return signInCookies({ production: config.env === 'production', name: 'fqf_espace', store: espace.sessions });
}
