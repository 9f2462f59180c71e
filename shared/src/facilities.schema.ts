export interface FacilitySummary {
  id: string;
  name: string;
  code: string;
  address: string;
  timeZone: string;
  booths: number;
  minLeadTimeMinutes: number;
  maxCallMinutes: number;
  dailyLimitPerAttorneyClient: number;
}
