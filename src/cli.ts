#!/usr/bin/env node
import { keepYoungGenerationSmall } from './cli/heap.js';

// Before the rest is loaded: loading it is enough for V8 to grow the young generation.
keepYoungGenerationSmall();
const { run } = await import('./cli/main.js');
run();
