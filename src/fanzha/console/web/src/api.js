// A small client for the Fanzha API: the session token goes in Authorization, errors are
// problem+json and surface as Error(detail).
import { reactive } from 'vue'

const saved = JSON.parse(sessionStorage.getItem('fanzha.session') || 'null')
export const session = reactive(saved || { token: null, user: null, org_id: null, org_kind: null, roles: [], name: '' })

export function saveSession(data) {
  Object.assign(session, data)
  sessionStorage.setItem('fanzha.session', JSON.stringify(session))
}

export function logout() {
  sessionStorage.removeItem('fanzha.session')
  Object.assign(session, { token: null, user: null, org_id: null, org_kind: null, roles: [], name: '' })
}

export async function api(path, { method = 'GET', body, query } = {}) {
  const url = new URL(path, window.location.origin)
  for (const [k, v] of Object.entries(query || {})) if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v)
  const headers = { Accept: 'application/json' }
  if (session.token) headers.Authorization = `Bearer ${session.token}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await r.text()
  const data = text ? JSON.parse(text) : null
  if (!r.ok) {
    const detail = (data && (data.detail || data.title)) || r.statusText
    const errs = (data && data.errors) ? '：' + data.errors.map((e) => `${e.field || ''} ${e.reason || ''}`).join('；') : ''
    throw new Error(`${detail}${errs}`)
  }
  return data
}

export const isPolice = () => ['platform', 'ministry', 'province_police', 'city_police', 'county_police', 'police_station'].includes(session.org_kind)
export const isBank = () => ['bank', 'payment'].includes(session.org_kind)
export const isOperator = () => session.org_kind === 'telecom'
export const isCitizen = () => session.org_kind === 'public'

export const fen = (v) => (v === null || v === undefined) ? '-' : '¥' + (v / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
export const dt = (v) => v ? new Date(v).toLocaleString('zh-CN', { hour12: false }) : '-'
export const ORDER_STATUS = { sent: '已发送', in_force: '已生效', refused: '已拒绝', lapsed: '已失效', expired: '已到期', lifted: '已解除', converted: '已转冻结', renewed: '已续冻', done: '已完成', answered: '已答复' }
export const LEVEL = { 1: '低', 2: '中', 3: '高', 4: '紧急' }
