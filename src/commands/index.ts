/**
 * The command table: every management command, its verbs and docker's top-level legacy aliases, in one
 * place. A verb is one file under src/commands/<group>/<verb>.ts that exports `spec`; adding it is one
 * line here. main builds the commander tree from this table (src/cli/command.ts).
 */
import type { Category, GroupEntry, VerbModule } from '../cli/command.js';
import * as containerAttach from './container/attach.js';
import * as containerCommit from './container/commit.js';
import * as containerCp from './container/cp.js';
import * as containerCreate from './container/create.js';
import * as containerDiff from './container/diff.js';
import * as containerExec from './container/exec.js';
import * as containerExport from './container/export.js';
import * as containerInspect from './container/inspect.js';
import * as containerKill from './container/kill.js';
import * as containerLogs from './container/logs.js';
import * as containerLs from './container/ls.js';
import * as containerPause from './container/pause.js';
import * as containerPort from './container/port.js';
import * as containerPrune from './container/prune.js';
import * as containerRename from './container/rename.js';
import * as containerRestart from './container/restart.js';
import * as containerRm from './container/rm.js';
import * as containerRun from './container/run.js';
import * as containerStart from './container/start.js';
import * as containerStats from './container/stats.js';
import * as containerStop from './container/stop.js';
import * as containerTop from './container/top.js';
import * as containerUnpause from './container/unpause.js';
import * as containerUpdate from './container/update.js';
import * as containerWait from './container/wait.js';
import * as contextCreate from './context/create.js';
import * as contextExport from './context/export.js';
import * as contextImport from './context/import.js';
import * as contextInspect from './context/inspect.js';
import * as contextLs from './context/ls.js';
import * as contextRm from './context/rm.js';
import * as contextShow from './context/show.js';
import * as contextUpdate from './context/update.js';
import * as contextUse from './context/use.js';
import * as imageBuild from './image/build.js';
import * as builderBuild from './builder/build.js';
import * as builderPrune from './builder/prune.js';
import * as imageHistory from './image/history.js';
import * as imageImport from './image/import.js';
import * as imageInspect from './image/inspect.js';
import * as imageLoad from './image/load.js';
import * as imageLs from './image/ls.js';
import * as imagePrune from './image/prune.js';
import * as imageRm from './image/rm.js';
import * as imageSave from './image/save.js';
import * as imageTag from './image/tag.js';
import * as imagePull from './registry/pull.js';
import * as imagePush from './registry/push.js';
import * as login from './registry/login.js';
import * as logout from './registry/logout.js';
import * as search from './registry/search.js';
import * as networkConnect from './network/connect.js';
import * as networkCreate from './network/create.js';
import * as networkDisconnect from './network/disconnect.js';
import * as networkInspect from './network/inspect.js';
import * as networkLs from './network/ls.js';
import * as networkPrune from './network/prune.js';
import * as networkRm from './network/rm.js';
import * as systemDf from './system/df.js';
import * as systemDialStdio from './system/dialstdio.js';
import * as completionBash from './completion/bash.js';
import * as completionFish from './completion/fish.js';
import * as completionPowershell from './completion/powershell.js';
import * as completionZsh from './completion/zsh.js';
import * as systemEvents from './system/events.js';
import * as systemInfo from './system/info.js';
import * as systemPrune from './system/prune.js';
import * as version from './system/version.js';
import * as manifestAnnotate from './manifest/annotate.js';
import * as manifestCreate from './manifest/create.js';
import * as manifestInspect from './manifest/inspect.js';
import * as manifestPush from './manifest/push.js';
import * as manifestRm from './manifest/rm.js';
import * as pluginCreate from './plugin/create.js';
import * as pluginDisable from './plugin/disable.js';
import * as pluginEnable from './plugin/enable.js';
import * as pluginInspect from './plugin/inspect.js';
import * as pluginInstall from './plugin/install.js';
import * as pluginLs from './plugin/ls.js';
import * as pluginPush from './plugin/push.js';
import * as pluginRm from './plugin/rm.js';
import * as pluginSet from './plugin/set.js';
import * as pluginUpgrade from './plugin/upgrade.js';
import * as volumeCreate from './volume/create.js';
import * as volumeInspect from './volume/inspect.js';
import * as volumeLs from './volume/ls.js';
import * as volumePrune from './volume/prune.js';
import * as volumeRm from './volume/rm.js';
import * as inspect from './inspect.js';
import * as compose from './compose/index.js';
import * as configCreate from './config/create.js';
import * as configInspect from './config/inspect.js';
import * as configLs from './config/ls.js';
import * as configRm from './config/rm.js';
import * as nodeDemote from './node/demote.js';
import * as nodeInspect from './node/inspect.js';
import * as nodeLs from './node/ls.js';
import * as nodePromote from './node/promote.js';
import * as nodePs from './node/ps.js';
import * as nodeRm from './node/rm.js';
import * as nodeUpdate from './node/update.js';
import * as secretCreate from './secret/create.js';
import * as secretInspect from './secret/inspect.js';
import * as secretLs from './secret/ls.js';
import * as secretRm from './secret/rm.js';
import * as serviceCreate from './service/create.js';
import * as serviceInspect from './service/inspect.js';
import * as serviceLogs from './service/logs.js';
import * as serviceLs from './service/ls.js';
import * as servicePs from './service/ps.js';
import * as serviceRm from './service/rm.js';
import * as serviceRollback from './service/rollback.js';
import * as serviceScale from './service/scale.js';
import * as serviceUpdate from './service/update.js';
import * as stackConfig from './stack/config.js';
import * as stackDeploy from './stack/deploy.js';
import * as stackLs from './stack/ls.js';
import * as stackPs from './stack/ps.js';
import * as stackRm from './stack/rm.js';
import * as stackServices from './stack/services.js';
import * as swarmCa from './swarm/ca.js';
import * as swarmInit from './swarm/init.js';
import * as swarmJoin from './swarm/join.js';
import * as swarmJoinToken from './swarm/join-token.js';
import * as swarmUnlock from './swarm/unlock.js';
import * as swarmUnlockKey from './swarm/unlock-key.js';
import * as swarmUpdate from './swarm/update.js';
import * as swarmLeave from './swarm/leave.js';

export const groups: GroupEntry[] = [
  {
    name: 'completion', short: 'Generate the autocompletion script for the specified shell', hidden: true,
    verbs: [completionBash, completionFish, completionPowershell, completionZsh],
  },
  {
    name: 'container', short: 'Manage containers', verbs: [
      [containerAttach, 'attach'], [containerCommit, 'commit'], [containerCp, 'cp'], [containerCreate, 'create'],
      [containerDiff, 'diff'], [containerExec, 'exec', 'common'], [containerExport, 'export'], containerInspect,
      [containerKill, 'kill'], [containerLogs, 'logs'], [containerLs, 'ps', 'common'], [containerPause, 'pause'],
      [containerPort, 'port'], containerPrune, [containerRename, 'rename'], [containerRestart, 'restart'],
      [containerRm, 'rm'], [containerRun, 'run', 'common'], [containerStart, 'start'], [containerStats, 'stats'],
      [containerStop, 'stop'], [containerTop, 'top'], [containerUnpause, 'unpause'], [containerUpdate, 'update'],
      [containerWait, 'wait'],
    ],
  },
  {
    name: 'context', short: 'Manage contexts', verbs: [
      contextCreate, contextExport, contextImport, contextInspect, contextLs, contextRm, contextShow, contextUpdate, contextUse,
    ],
  },
  {
    name: 'image', short: 'Manage images', verbs: [
      [imageBuild, 'build', 'common'], [imageHistory, 'history'], [imageImport, 'import'], imageInspect,
      [imageLoad, 'load'], [imageLs, 'images', 'common'], imagePrune, [imagePull, 'pull', 'common'],
      [imagePush, 'push', 'common'], [imageRm, 'rmi'], [imageSave, 'save'], [imageTag, 'tag'],
    ],
  },
  {
    name: 'network', short: 'Manage networks', verbs: [
      networkConnect, networkCreate, networkDisconnect, networkInspect, networkLs, networkPrune, networkRm,
    ],
  },
  { name: 'builder', short: 'Manage builds', verbs: [builderBuild, builderPrune] },
  {
    name: 'manifest', short: 'Manage Docker image manifests and manifest lists', experimental: true, bareHelpOnStderr: true,
    long: `The **docker manifest** command has subcommands for managing image manifests and
manifest lists. A manifest list allows you to use one name to refer to the same image
built for multiple architectures.

To see help for a subcommand, use:

    docker manifest CMD --help

For full details on using docker manifest lists, see the registry v2 specification.`,
    verbs: [
      manifestAnnotate, manifestCreate, manifestInspect, manifestPush, manifestRm,
    ],
  },
  {
    name: 'plugin', short: 'Manage plugins', verbs: [
      pluginCreate, pluginDisable, pluginEnable, pluginInspect, pluginInstall, pluginLs, pluginPush, pluginRm, pluginSet, pluginUpgrade,
    ],
  },
  { name: 'config', short: 'Manage Swarm configs', category: 'swarm', verbs: [configCreate, configInspect, configLs, configRm] },
  { name: 'secret', short: 'Manage Swarm secrets', category: 'swarm', verbs: [secretCreate, secretInspect, secretLs, secretRm] },
  { name: 'node', short: 'Manage Swarm nodes', category: 'swarm', verbs: [nodeDemote, nodeInspect, nodeLs, nodePromote, nodePs, nodeRm, nodeUpdate] },
  {
    name: 'service', short: 'Manage Swarm services', category: 'swarm', verbs: [
      serviceCreate, serviceInspect, serviceLogs, serviceLs, servicePs, serviceRm, serviceRollback, serviceScale, serviceUpdate,
    ],
  },
  { name: 'stack', short: 'Manage Swarm stacks', category: 'swarm', verbs: [stackConfig, stackDeploy, stackLs, stackPs, stackRm, stackServices] },
  { name: 'swarm', short: 'Manage Swarm', category: 'swarm', verbs: [swarmCa, swarmInit, swarmJoin, swarmJoinToken, swarmLeave, swarmUnlock, swarmUnlockKey, swarmUpdate] },
  {
    name: 'system', short: 'Manage Docker', verbs: [
      systemDf, systemDialStdio, [systemEvents, 'events'], [systemInfo, 'info', 'common'], systemPrune,
    ],
  },
  {
    name: 'volume', short: 'Manage volumes', verbs: [volumeCreate, volumeInspect, volumeLs, volumePrune, volumeRm],
  },
];

/** Commands that exist at the top level only, with their section of the root help. */
export const topLevel: [VerbModule, Category][] = [
  [inspect, 'other'], [compose, 'management'], [login, 'common'], [logout, 'common'], [search, 'common'], [version, 'common'],
];

/** docker's order of the root help's Common Commands section. */
export const commonOrder = ['run', 'exec', 'ps', 'build', 'pull', 'push', 'images', 'login', 'logout', 'search', 'version', 'info'];
