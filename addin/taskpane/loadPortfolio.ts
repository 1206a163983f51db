import { CaliperApiError, type CaliperClient, type Portfolio } from '../api/caliperClient';

/** A tenant that has not uploaded anything yet: the API answers 404 `no_data`, the pane an empty portfolio. */
export const EMPTY_PORTFOLIO: Portfolio = {
  tenant: '',
  locations: [],
  providers: [],
  data_freshness: [],
  periods: { first_month: null, last_month: null, as_of_month: null },
};

export async function loadPortfolio(client: Pick<CaliperClient, 'portfolio'>): Promise<Portfolio> {
  try {
    return await client.portfolio();
  } catch (error) {
    if (error instanceof CaliperApiError && error.code === 'no_data') return EMPTY_PORTFOLIO;
    throw error;
  }
}
