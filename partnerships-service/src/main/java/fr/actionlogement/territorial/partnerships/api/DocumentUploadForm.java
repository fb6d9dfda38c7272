package fr.actionlogement.territorial.partnerships.api;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** multipart/form-data body of a draft document upload: one part named {@code file}, a PDF. */
@Schema(name = "DocumentUpload", description = "multipart/form-data with the draft agreement PDF in the part 'file'")
public class DocumentUploadForm {

    @RestForm("file")
    @Schema(type = SchemaType.STRING, format = "binary", required = true, description = "The draft agreement: application/pdf, starting with %PDF-, within the configured size limit")
    public FileUpload file;
}
