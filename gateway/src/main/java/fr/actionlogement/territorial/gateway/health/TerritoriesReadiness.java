package fr.actionlogement.territorial.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.Readiness;

@Readiness
@ApplicationScoped
public class TerritoriesReadiness extends UpstreamReadiness {

    @Override
    protected String service() {
        return "territories";
    }
}
