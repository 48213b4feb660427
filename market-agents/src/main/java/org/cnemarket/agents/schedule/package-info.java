/**
 * Carbon-aware scheduling of deferrable compute (survey §4.4): which slot and which site each job's
 * compute units run in, minimising cost plus a carbon price under windows, regions, parallelism,
 * site capacities and network cost. Plain Java; the offline optimum is an ojAlgo MILP.
 */
package org.cnemarket.agents.schedule;
