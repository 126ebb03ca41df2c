import { createApp } from 'vue'
import { createRouter, createWebHashHistory } from 'vue-router'
import App from './App.vue'
import { routes } from './routes.js'
import { session } from './api.js'
import './style.css'

const router = createRouter({ history: createWebHashHistory(), routes })
router.beforeEach((to) => {
  if (to.meta.public) return true
  if (!session.token) return { path: '/login', query: { next: to.fullPath } }
  return true
})
createApp(App).use(router).mount('#app')
