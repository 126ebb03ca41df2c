import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// Built assets are served by the API at /console/ — no CDN (police networks are offline).
export default defineConfig({
  plugins: [vue()],
  base: '/console/',
  build: { outDir: '../static', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
})
