/** The caller's private calendar feed; the URL is shown once, when created. */
export interface CalendarFeedCreated {
  url: string;
  createdAt: string;
}

export interface CalendarFeedStatus {
  active: boolean;
  createdAt: string | null;
}
