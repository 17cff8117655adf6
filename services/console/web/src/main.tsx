import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { BoardStore } from './lib/board-store';
import { regionName } from './lib/region-names';
import { session } from './lib/session';
import { formatDateTime } from './lib/shanghai-time';
import { useStore } from './lib/use-store';
import { ROLE_LABEL, label } from './lib/zh-labels';
import { AlarmPage } from './pages/alarm-page';
import { BoardPage } from './pages/board-page';
import { EnterpriseListPage, EnterprisePage } from './pages/enterprise-page';
import { ReportsPage } from './pages/reports-page';
import { SignInPage } from './pages/sign-in-page';

/** `#/board`, `#/alarm/<id>`, `#/enterprises`, `#/enterprise/<id>`, `#/reports`. */
function useRoute(): string[] {
  const read = () => (location.hash.replace(/^#\/?/, '') || 'board').split('/').map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

function useSession() {
  const [, setTick] = useState(0);
  useEffect(() => session.subscribe(() => setTick((n) => n + 1)), []);
  return session.token();
}

function Shell() {
  const token = useSession();
  const [store, setStore] = useState<BoardStore | undefined>();
  useEffect(() => {
    if (!token) return;
    session.watchExpiry();
    const s = new BoardStore();
    s.start();
    setStore(s);
    return () => {
      s.stop();
      setStore(undefined);
    };
  }, [token]);
  if (!token) return <SignInPage />;
  if (!store) return null;
  return <SignedIn store={store} />;
}

function SignedIn(props: { store: BoardStore }) {
  const store = useStore(props.store);
  const [page, arg] = useRoute();
  const claims = session.claims();
  const nav = (href: string, text: string, active: boolean) => (
    <a href={href} class={active ? 'active' : ''}>
      {text}
    </a>
  );
  const statusText = { connecting: '连接中', live: '实时', reconnecting: '重新连接中' }[store.status];
  return (
    <>
      <header class="top">
        <strong>预警监测控制台</strong>
        <nav>
          {nav('#/board', '实时报警', page === 'board' || page === 'alarm')}
          {nav('#/enterprises', '企业', page === 'enterprises' || page === 'enterprise')}
          {nav('#/reports', '统计报表', page === 'reports')}
        </nav>
        <span class={`stream ${store.status}`} data-testid="stream-status" data-status={store.status}>
          ● {statusText}
        </span>
        <span class="who" data-testid="who">
          {label(ROLE_LABEL, claims?.role ?? '')} {claims?.name ?? claims?.sub} ·{' '}
          {claims?.scope.level === 'enterprise' ? claims.scope.code : regionName(claims?.scope.code ?? '')}
          {claims && ` · 有效至 ${formatDateTime(claims.exp * 1000)}`}
        </span>
        <button type="button" onClick={() => session.signOut()}>
          退出
        </button>
      </header>
      {store.cue && (
        <div class="cue" role="alert" data-testid="level1-cue">
          新的一级报警：
          <a href={`#/alarm/${encodeURIComponent(store.cue.alarmId)}`}>{store.cue.alarmId}</a>（
          {formatDateTime(store.cue.at)}）
          <button type="button" onClick={() => store.dismissCue()}>
            知道了
          </button>
        </div>
      )}
      <main>
        {page === 'alarm' && arg ? (
          <AlarmPage alarmId={arg} store={store} />
        ) : page === 'enterprise' && arg ? (
          <EnterprisePage id={arg} store={store} />
        ) : page === 'enterprises' ? (
          <EnterpriseListPage store={store} />
        ) : page === 'reports' ? (
          <ReportsPage />
        ) : (
          <BoardPage store={store} />
        )}
      </main>
    </>
  );
}

render(<Shell />, document.getElementById('app') as HTMLElement);
