/** Trading agents, forecasts and the carbon-aware scheduler, used live and in simulation. */
package org.cnemarket.agents;
