#!/usr/bin/env node
import { main } from './main.js';
import { redactProcessOutput } from './redacted-output.js';

redactProcessOutput();

process.exitCode = await main(process.argv.slice(2));
