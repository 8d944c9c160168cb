"""Documents (执法文书) a party can hold and anyone can verify: records rendered to PDF and DOCX
from the agency profile's templates, numbered (文号), sealed (PAdES e-seal), verifiable by QR code."""
