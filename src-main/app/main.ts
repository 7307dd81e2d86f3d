// The Electron main process: the shell (app-shell.ts) on the real electron module.
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeTheme,
  net,
  protocol,
  safeStorage,
  session,
  shell,
  utilityProcess,
} from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfigDir } from '../config/config-dir';
import { startShell } from './app-shell';

const here = dirname(fileURLToPath(import.meta.url)); // dist/main

startShell(
  { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, nativeTheme, net, protocol, safeStorage, session, shell, utilityProcess },
  {
    distDir: join(here, '..'),
    configDir: defaultConfigDir(),
    platform: process.platform,
    defaultApp: process.defaultApp === true,
    execPath: process.execPath,
    argv: process.argv,
    logToFile: true,
  },
);
