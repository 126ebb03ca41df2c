import Login from './pages/Login.vue'
import Dashboard from './pages/Dashboard.vue'
import Warnings from './pages/Warnings.vue'
import Registry from './pages/Registry.vue'
import Decisions from './pages/Decisions.vue'
import Trace from './pages/Trace.vue'
import Clusters from './pages/Clusters.vue'
import BankOrders from './pages/BankOrders.vue'
import Operator from './pages/Operator.vue'
import Portal from './pages/Portal.vue'

// `who` says which organisation kinds see the page in the navigation.
export const routes = [
  { path: '/', redirect: '/home' },
  { path: '/login', component: Login, meta: { public: true, title: '登录' } },
  { path: '/home', component: Dashboard, meta: { title: '挂图作战', who: 'police' } },
  { path: '/warnings', component: Warnings, meta: { title: '预警劝阻', who: 'police' } },
  { path: '/registry', component: Registry, meta: { title: '风险名单', who: 'police' } },
  { path: '/decisions', component: Decisions, meta: { title: '支付核验', who: 'police,bank' } },
  { path: '/trace', component: Trace, meta: { title: '资金追踪与止付冻结', who: 'police' } },
  { path: '/clusters', component: Clusters, meta: { title: '串并案', who: 'police' } },
  { path: '/bank', component: BankOrders, meta: { title: '止付冻结指令', who: 'bank' } },
  { path: '/operator', component: Operator, meta: { title: '运营商处置', who: 'telecom' } },
  { path: '/portal', component: Portal, meta: { public: true, title: '反诈服务', who: 'public' } },
]
