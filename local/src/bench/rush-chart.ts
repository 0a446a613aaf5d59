import type { RushReport } from './rush-report';

const WIDTH = 640;

/**
 * The rush as a vega-lite spec: waiting buyers, admissions holding a slot and units sold over time, and how
 * long after the opening each unit was paid for (time-to-ticket).
 */
export const rushChartSpec = (report: RushReport) => {
  const { buyers, units, activeBuyers } = report.settings;
  const overTime = (field: 'waiting' | 'admitted' | 'sold', title: string, color: string) => ({
    width: WIDTH,
    height: 110,
    title,
    data: { values: report.timeline },
    mark: { type: 'line', color },
    encoding: {
      x: { field: 'seconds', type: 'quantitative', title: 'seconds since the sale opened' },
      y: { field, type: 'quantitative', title: null },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `The rush: ${buyers.toLocaleString('en')} buyers, ${units.toLocaleString('en')} units, ${activeBuyers} active (${report.date.slice(0, 10)})`,
    vconcat: [
      overTime('waiting', 'Buyers waiting in line (sampled every 500 ms)', '#4c78a8'),
      overTime('admitted', 'Admitted buyers holding a slot', '#f58518'),
      overTime('sold', 'Units sold (paid)', '#54a24b'),
      {
        width: WIDTH,
        height: 160,
        title: 'Time-to-ticket: seconds from the opening to each paid order',
        data: { values: report.timeToTicketSeconds.map((seconds) => ({ seconds })) },
        mark: 'bar',
        encoding: {
          x: { field: 'seconds', type: 'quantitative', bin: { maxbins: 60 }, title: 'seconds since the sale opened' },
          y: { aggregate: 'count', type: 'quantitative', title: 'orders paid' },
        },
      },
    ],
  };
};
