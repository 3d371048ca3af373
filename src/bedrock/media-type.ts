/** A content type's media type without its parameters, lower-cased: `Application/JSON; charset=utf-8` is `application/json`. */
export function mediaTypeOf (contentType: string): string {
  const parametersAt = contentType.indexOf(';')
  return (parametersAt === -1 ? contentType : contentType.slice(0, parametersAt)).trim().toLowerCase()
}
