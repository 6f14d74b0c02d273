import type { Child } from 'hono/jsx';
import { Breadcrumb } from '../../components/Breadcrumb.tsx';
import { Layout, type LayoutSession } from '../../layout.tsx';

/** Frame of the informational pages: breadcrumb, a readable column, one h1. */
export function StaticLayout(props: { title: string; heading?: string; session?: LayoutSession | undefined; children?: Child }) {
  return (
    <Layout title={props.title} session={props.session}>
      <Breadcrumb items={[{ label: props.title }]} />
      <div class="fr-grid-row">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>{props.heading ?? props.title}</h1>
          {props.children}
        </div>
      </div>
    </Layout>
  );
}
