import {
  type VisitAction,
  VisitActionLabels,
  VisitActions,
  VisitAutonomies,
  type VisitAutonomy,
  VisitAutonomyLabels,
  type VisitChannel,
  VisitChannelLabels,
  VisitChannels,
} from '../../../contracts/visits.ts';

/** The choices of the visit form, in the order of their shortcuts. */
export const CHANNELS = VisitChannels.map((value) => ({ value, label: VisitChannelLabels[value] }));
export const ACTIONS = VisitActions.map((value) => ({ value, label: VisitActionLabels[value] }));
export const AUTONOMIES = VisitAutonomies.map((value) => ({ value, label: VisitAutonomyLabels[value] }));
export const QUICK_DURATIONS = [5, 10, 15, 30] as const;

export type Channel = VisitChannel;
export type Action = VisitAction;
export type Autonomy = VisitAutonomy;
