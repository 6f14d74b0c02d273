import type { DayPeriod } from '../../../db/repositories/figures.ts';
import { BarChart, type ChartItem } from '../../views/admin/charts.tsx';
import { Table } from './Table.tsx';
import { EspaceLayout, type EspaceFrame } from './EspaceLayout.tsx';
import { durationLabel } from './TransmissionsPage.tsx';
import { PeriodFilter } from './PeriodFilter.tsx';

export interface CommuneFigures {
  journey: ChartItem[];
  statuses: ChartItem[];
  firstAction: { count: number; medianSeconds: number | null };
}

function FigureTable(props: { caption: string; items: readonly ChartItem[] }) {
  return (
    <Table caption={props.caption}>
      <thead>
        <tr>
          <th scope="col">Étape</th>
          <th scope="col">Nombre</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((i) => (
          <tr>
            <td>{i.label}</td>
            <td>{i.value}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** The commune's figures over a period: counts, never people; each chart with its table. */
export function FiguresPage(props: { frame: EspaceFrame; period: DayPeriod; figures: CommuneFigures; error?: string }) {
  const { figures } = props;
  return (
    <EspaceLayout title="Chiffres" section="chiffres" frame={props.frame} isError={props.error !== undefined}>
      <PeriodFilter action="/espace/chiffres" legend="Période" from={props.period.from} to={props.period.to} error={props.error} />
      <h2>Le parcours des familles</h2>
      <BarChart id="parcours" title="Parcours des familles sur la période" items={figures.journey} />
      <FigureTable caption="Parcours des familles" items={figures.journey} />
      <h2>Les transmissions et leur état</h2>
      <BarChart id="etats" title="Transmissions de la période par état actuel" items={figures.statuses} />
      <FigureTable caption="Transmissions par état" items={figures.statuses} />
      <p>
        {figures.firstAction.medianSeconds === null
          ? 'Aucune transmission de la période n’a encore été prise en charge par la commune.'
          : `Délai médian avant la première action de la commune : ${durationLabel(figures.firstAction.medianSeconds)} (sur ${figures.firstAction.count} transmissions).`}
      </p>
    </EspaceLayout>
  );
}
