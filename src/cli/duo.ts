#!/usr/bin/env node
import { dropWritesToClosedPipes } from './closed-pipe.js';
import { main } from './main.js';
import { redactProcessOutput } from './redacted-output.js';

redactProcessOutput();
dropWritesToClosedPipes();

process.exitCode = await main(process.argv.slice(2));
