// Preloaded into the server by bench/memory.ts (`node --import`): on SIGUSR2 the process writes
// its process.memoryUsage() to MEMORY_PROBE_FILE. Benchmark-only; the app has no such code.
import fs from 'node:fs';

const file = process.env.MEMORY_PROBE_FILE;
if (file) process.on('SIGUSR2', () => fs.writeFileSync(file, JSON.stringify(process.memoryUsage())));
