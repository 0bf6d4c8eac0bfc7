package referrals.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;

/** HAPI's in-memory Patient provider, plus the search that finds a member: `?identifier=system|value`. */
public class PatientProvider extends HashMapResourceProvider<Patient> {
  public PatientProvider(FhirContext context) {
    super(context, Patient.class);
  }

  @Search
  public synchronized List<Patient> searchByIdentifier(@RequiredParam(name = "identifier") TokenParam identifier) {
    return getAllResources().stream()
        .filter(
            p ->
                p.getIdentifier().stream()
                    .anyMatch(
                        i ->
                            identifier.getValue().equals(i.getValue())
                                && (identifier.getSystem() == null || identifier.getSystem().equals(i.getSystem()))))
        .toList();
  }
}
