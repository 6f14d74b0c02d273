/**
 * Everything the routes need from the views. Each page is a pure function of typed props returning JSX;
 * wrap it in renderPage() to get the HTML document.
 */
export { renderPage } from './render.ts';
export { Layout, pageTitle, type LayoutProps, type LayoutSession } from './layout.tsx';
export { assetUrl } from './assets.ts';
export { DEFAULT_SITE_INFO, SERVICE_NAME, type SiteInfo } from './site.ts';

export { Alert, type AlertType } from './components/Alert.tsx';
export { Alternatives } from './components/Alternatives.tsx';
export { Breadcrumb, type BreadcrumbItem } from './components/Breadcrumb.tsx';
export { Field, type FieldProps } from './components/Field.tsx';
export { FranceConnectButton, type FranceConnectButtonProps } from './components/FranceConnectButton.tsx';
export { LogoutButton, LOGOUT_ACTION } from './components/LogoutButton.tsx';
export { Notice } from './components/Notice.tsx';
export { StatusBadge, statusLabel, STATUS_LABELS, type TransmissionStatus } from './components/StatusBadge.tsx';
export { Stepper, JOURNEY_STEPS } from './components/Stepper.tsx';

export {
  ChooseCollectivityPage,
  MAX_RESULTS,
  type ChooseCollectivityPageProps,
  type CollectivitySummary,
} from './pages/ChooseCollectivityPage.tsx';
export { CollectivityPage, FRANCECONNECT_LOGIN_ACTION, type CollectivityPageProps } from './pages/CollectivityPage.tsx';
export { CollectivityNotFoundPage } from './pages/CollectivityNotFoundPage.tsx';
export { ReviewPage, TRANSMISSION_ACTION, type ReviewPageProps } from './pages/ReviewPage.tsx';
export { QfErrorPage, type QfErrorKind, type QfErrorPageProps } from './pages/QfErrorPage.tsx';
export { LoginErrorPage, type LoginErrorKind, type LoginErrorPageProps } from './pages/LoginErrorPage.tsx';
export { ConfirmationPage, type ConfirmationPageProps } from './pages/ConfirmationPage.tsx';
export {
  FollowUpPage,
  FollowUpLookupPage,
  FollowUpNotFoundPage,
  type FollowUpPageProps,
} from './pages/FollowUpPage.tsx';
export { ErrorPage, type ErrorPageProps } from './pages/ErrorPage.tsx';

export { HomePage } from './pages/static/HomePage.tsx';
export { SansFranceConnectPage } from './pages/static/SansFranceConnectPage.tsx';
export { FaqPage } from './pages/static/FaqPage.tsx';
export { CguUsagersPage } from './pages/static/CguUsagersPage.tsx';
export { CguAdministrationsPage } from './pages/static/CguAdministrationsPage.tsx';
export { AccessibilitePage } from './pages/static/AccessibilitePage.tsx';
export { DonneesPersonnellesPage } from './pages/static/DonneesPersonnellesPage.tsx';
export { MentionsLegalesPage } from './pages/static/MentionsLegalesPage.tsx';
