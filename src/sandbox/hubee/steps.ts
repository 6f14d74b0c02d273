// Its own module, importing nothing, so that the fault plan and the HubEE stand-in can both name the steps
// without importing each other.

/** Names the API steps routes implement: the keys fault rules match on. */
export const HUBEE_STEPS = [
  'token',
  'createFolder',
  'getFolder',
  'patchFolder',
  'deleteFolder',
  'uploadAttachment',
  'getCase',
  'patchCase',
  'downloadCaseAttachment',
  'createEvent',
  'getEvent',
  'patchEvent',
  'deleteEvent',
  'listNotifications',
  'deleteNotification',
  'listOrganizations',
  'getOrganization',
  'createOrganization',
  'putOrganization',
  'listSubscriptions',
  'getSubscription',
  'createSubscription',
  'putSubscription',
  'portal',
] as const;

export type HubeeStep = (typeof HUBEE_STEPS)[number];
